import { createParser } from 'eventsource-parser';
import { ConfabError } from '../errors/confab-error';
import { STREAM_DONE, type StreamChunk, streamChunkSchema } from '../schemas/chunk';

const knownChunkTypes: ReadonlySet<string> = new Set(
  streamChunkSchema.def.options.flatMap((option) => option.shape.type.def.values),
);

export interface ParsedChunk {
  /** The SSE event id: where a resumed stream continues from. */
  id: string | undefined;
  chunk: StreamChunk;
}

/**
 * SSE bytes → validated stream chunks, in batches: the chunks of one read from the network,
 * which a client applies at once (one stream read and one announcement per batch, not per
 * chunk: a read of a few KiB holds dozens of deltas). Decoding, event parsing
 * (eventsource-parser) and validation run in one TransformStream; chunks of types this version
 * does not know (a newer server's) are skipped. Ends at `data: [DONE]`; a stream that ends
 * without it fails with `network_error`.
 */
export function parseChunkBatches(body: ReadableStream<Uint8Array>): ReadableStream<ParsedChunk[]> {
  const decoder = new TextDecoder();
  let done = false;
  let batch: ParsedChunk[] = [];
  const parser = createParser({
    onEvent(event) {
      if (done) return;
      if (event.data === STREAM_DONE) {
        done = true;
        return;
      }
      const chunk = parseChunk(event.data);
      if (chunk) batch.push({ id: event.id, chunk });
    },
  });
  const feed = (text: string, output: TransformStreamDefaultController<ParsedChunk[]>) => {
    parser.feed(text);
    if (batch.length > 0) {
      output.enqueue(batch);
      batch = [];
    }
    if (done) output.terminate();
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, ParsedChunk[]>({
      transform(bytes, output) {
        if (!done) feed(decoder.decode(bytes, { stream: true }), output);
      },
      flush(output) {
        if (!done) feed(decoder.decode(), output);
        if (!done) {
          throw new ConfabError('network_error', 'The stream ended before it was complete.');
        }
      },
    }),
  );
}

/** `parseChunkBatches`, one chunk at a time: for a reader that wants each event by itself. */
export function parseChunkStream(body: ReadableStream<Uint8Array>): ReadableStream<ParsedChunk> {
  return parseChunkBatches(body).pipeThrough(
    new TransformStream<ParsedChunk[], ParsedChunk>({
      transform(batch, output) {
        for (const event of batch) output.enqueue(event);
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
