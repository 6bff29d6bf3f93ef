import {
  encodeSseComment,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  STREAM_DONE,
  type StreamChunk,
} from '@confab/core';
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
  /** What the events of one read became, sent as one piece. */
  let pending = '';
  const parser = createParser({
    onEvent(event) {
      if (encoder.done || event.data === STREAM_DONE) return;
      // The handler's own events, validated when they were made: parsed, not validated again.
      const chunk = JSON.parse(event.data) as StreamChunk;
      const encoded = encoder.encode(chunk);
      // A delta is the same JSON in both protocols ({ type, id, delta }): its text goes as it came.
      if (
        encoded.length === 1 &&
        encoded[0]!.type === chunk.type &&
        chunk.type.endsWith('-delta')
      ) {
        pending += `data: ${event.data}\n\n`;
      } else {
        for (const out of encoded) pending += `data: ${JSON.stringify(out)}\n\n`;
      }
    },
    onComment(comment) {
      if (!encoder.done) pending += encodeSseComment(comment);
    },
  });
  // A pull source rather than a TransformStream: one stream hop per chunk instead of three,
  // which is most of what re-encoding costs.
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (pending === '' && !encoder.done) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (encoder.done || pending === '') {
        // The answer is over (or its stream ended without its end): nothing more is read.
        pending += `data: ${STREAM_DONE}\n\n`;
        controller.enqueue(bytes.encode(pending));
        controller.close();
        reader.cancel().catch(() => {});
        return;
      }
      controller.enqueue(bytes.encode(pending));
      pending = '';
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: 200, headers: uiMessageStreamHeaders });
}
