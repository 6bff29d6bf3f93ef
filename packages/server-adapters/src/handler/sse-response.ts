import { encodeSseComment, encodeSseEvent, STREAM_DONE } from '@confab/core';
import type { Run } from '../runs/run';

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/**
 * Streams a run as server-sent events: every chunk with its id, comment heartbeats while idle,
 * `data: [DONE]` at the end. A client that goes away stops following; the run goes on.
 */
export function sseResponse(run: Run, heartbeatMs: number, after = -1): Response {
  const encoder = new TextEncoder();
  let stopFollowing: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const cleanup = () => {
    closed = true;
    clearInterval(timer);
    stopFollowing?.();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(encodeSseComment('ping')));
      }, heartbeatMs);
      stopFollowing = run.follow((event) => {
        if (closed) return;
        if (event === null) {
          controller.enqueue(encoder.encode(encodeSseEvent({ data: STREAM_DONE })));
          cleanup();
          controller.close();
          return;
        }
        const data = JSON.stringify(event.chunk);
        controller.enqueue(encoder.encode(encodeSseEvent({ id: event.id, data })));
      }, after);
      if (closed) stopFollowing();
    },
    cancel: cleanup,
  });
  return new Response(body, { status: 200, headers: sseHeaders });
}
