import { createParser } from 'eventsource-parser';
import { ConfabError } from '../errors/confab-error';
import { STREAM_DONE, type StreamChunk, streamChunkSchema } from '../schemas/chunk';

const knownChunkTypes: ReadonlySet<string> = new Set(
  streamChunkSchema.options.map((option) => option.shape.type.value),
);

export interface ParsedChunk {
  /** The SSE event id: where a resumed stream continues from. */
  id: string | undefined;
  chunk: StreamChunk;
}

/**
 * SSE bytes → validated stream chunks. Decoding, event parsing (eventsource-parser) and
 * validation run in one TransformStream; chunks of types this version does not know (a newer
 * server's) are skipped: each extra stream stage costs more per event than
 * parsing and validating it (see bench/). Ends at `data: [DONE]`; a stream that ends without it
 * fails with `network_error`.
 */
export function parseChunkStream(body: ReadableStream<Uint8Array>): ReadableStream<ParsedChunk> {
  const decoder = new TextDecoder();
  let done = false;
  let output!: TransformStreamDefaultController<ParsedChunk>;
  const parser = createParser({
    onEvent(event) {
      if (done) return;
      if (event.data === STREAM_DONE) {
        done = true;
        output.terminate();
        return;
      }
      const chunk = parseChunk(event.data);
      if (chunk) output.enqueue({ id: event.id, chunk });
    },
  });
  return body.pipeThrough(
    new TransformStream<Uint8Array, ParsedChunk>({
      start(controller) {
        output = controller;
      },
      transform(bytes) {
        if (!done) parser.feed(decoder.decode(bytes, { stream: true }));
      },
      flush() {
        if (!done) parser.feed(decoder.decode());
        if (!done) {
          throw new ConfabError('network_error', 'The stream ended before it was complete.');
        }
      },
    }),
  );
}

/**
 * Parses and validates the JSON of one `data:` line. A chunk of a type this version does not
 * know is `null`: a newer server never breaks an older client. A known type in an unexpected
 * shape is an error.
 */
export function parseChunk(data: string): StreamChunk | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw new ConfabError('invalid_response', 'The server sent a stream event that is not JSON.', {
      cause,
    });
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !knownChunkTypes.has(type)) return null;
  const result = streamChunkSchema.safeParse(json);
  if (!result.success) {
    throw new ConfabError('invalid_response', 'The server sent a stream event of unknown shape.', {
      cause: result.error,
    });
  }
  return result.data;
}
