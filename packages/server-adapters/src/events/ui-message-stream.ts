import { PROTOCOL_HEADER, PROTOCOL_VERSION, parseChunk, STREAM_DONE } from '@confab/core';
import { UIMessageEncoder } from '@confab/core/ai-sdk';
import { createParser } from 'eventsource-parser';

/** The headers of the AI SDK's UI message stream protocol (`DefaultChatTransport` reads it). */
export const uiMessageStreamHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  'x-vercel-ai-ui-message-stream': 'v1',
  [PROTOCOL_HEADER]: PROTOCOL_VERSION,
};

/**
 * One run's Confab event stream re-encoded, as it flows, in the AI SDK's UI message stream
 * protocol: `start`, `text-*`, `reasoning-*`, `error`, `finish`, then `data: [DONE]`. The run,
 * its storage and its events are the native ones; only the wire format differs. Heartbeat
 * comments pass through. A response that is not an event stream (an error) is returned as is.
 */
export function uiMessageStreamResponse(
  response: Response,
  options: { answerId?: string } = {},
): Response {
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !response.body || !type.startsWith('text/event-stream')) return response;
  const encoder = new UIMessageEncoder(options);
  const decoder = new TextDecoder();
  const bytes = new TextEncoder();
  let output!: TransformStreamDefaultController<Uint8Array>;
  const write = (text: string) => output.enqueue(bytes.encode(text));
  const end = () => {
    write(`data: ${STREAM_DONE}\n\n`);
    output.terminate();
  };
  const parser = createParser({
    onEvent(event) {
      if (encoder.done || event.data === STREAM_DONE) return;
      const chunk = parseChunk(event.data);
      if (!chunk) return;
      for (const out of encoder.encode(chunk)) write(`data: ${JSON.stringify(out)}\n\n`);
      if (encoder.done) end();
    },
    onComment(comment) {
      if (!encoder.done) write(`:${comment}\n\n`);
    },
  });
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      start(controller) {
        output = controller;
      },
      transform(chunk) {
        if (!encoder.done) parser.feed(decoder.decode(chunk, { stream: true }));
      },
      flush() {
        if (!encoder.done) end();
      },
    }),
  );
  return new Response(body, { status: 200, headers: uiMessageStreamHeaders });
}
