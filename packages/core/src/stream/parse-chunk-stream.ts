import { EventSourceParserStream } from 'eventsource-parser/stream';
import { ConfabError } from '../errors/confab-error';
import { STREAM_DONE, type StreamChunk, streamChunkSchema } from '../schemas/chunk';

export interface ParsedChunk {
  /** The SSE event id: where a resumed stream continues from. */
  id: string | undefined;
  chunk: StreamChunk;
}

/**
 * SSE bytes → validated stream chunks:
 * `TextDecoderStream → EventSourceParserStream → schema-validated chunks`.
 * Ends at `data: [DONE]`; a stream that ends without it fails with `network_error`.
 */
export function parseChunkStream(body: ReadableStream<Uint8Array>): ReadableStream<ParsedChunk> {
  let done = false;
  return body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(
      new TransformStream({
        transform(event, controller) {
          if (done) return;
          if (event.data === STREAM_DONE) {
            done = true;
            controller.terminate();
            return;
          }
          controller.enqueue({ id: event.id, chunk: parseChunk(event.data) });
        },
        flush() {
          if (!done) {
            throw new ConfabError('network_error', 'The stream ended before it was complete.');
          }
        },
      }),
    );
}

/** Parses and validates the JSON of one `data:` line. */
export function parseChunk(data: string): StreamChunk {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw new ConfabError('invalid_response', 'The server sent a stream event that is not JSON.', {
      cause,
    });
  }
  const result = streamChunkSchema.safeParse(json);
  if (!result.success) {
    throw new ConfabError('invalid_response', 'The server sent a stream event of unknown shape.', {
      cause: result.error,
    });
  }
  return result.data;
}
