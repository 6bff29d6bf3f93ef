import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfabError } from '../errors/confab-error';
import type { StreamChunk } from '../schemas/chunk';
import { encodeSseComment, encodeSseEvent } from './encode-sse';
import { type ParsedChunk, parseChunkBatches, parseChunkStream } from './parse-chunk-stream';

const messageId = 'a1b2c3';

function encodeRun(chunks: StreamChunk[], { comments = false } = {}): string {
  let text = '';
  chunks.forEach((chunk, index) => {
    if (comments) text += encodeSseComment('ping');
    text += encodeSseEvent({ id: `7.${index + 1}`, data: JSON.stringify(chunk) });
  });
  return `${text}${encodeSseEvent({ data: '[DONE]' })}`;
}

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const position of positions) {
    parts.push(bytes.slice(start, position));
    start = position;
  }
  parts.push(bytes.slice(start));
  return parts;
}

async function collect(stream: ReadableStream<ParsedChunk[]>) {
  const events: ParsedChunk[] = [];
  for await (const batch of stream) {
    // A batch is what one read decoded: never empty.
    expect(batch.length).toBeGreaterThan(0);
    events.push(...batch);
  }
  return events;
}

const deltaArbitrary = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(
    'héllo',
    '日本語',
    '🙂👍🏽',
    'line\nbreak',
    'cr\r\nlf',
    'data: fake',
    '[DONE]',
    '',
  ),
);

const chunkArbitrary: fc.Arbitrary<StreamChunk> = fc.oneof(
  deltaArbitrary.map((delta) => ({ type: 'text-delta' as const, id: '0', delta })),
  deltaArbitrary.map((delta) => ({ type: 'reasoning-delta' as const, id: '1', delta })),
  fc.constant({ type: 'text-start' as const, messageId, id: '0' }),
  fc
    .record({ code: fc.constantFrom('model_error', 'rate_limited'), message: deltaArbitrary })
    .map((error) => ({ type: 'error' as const, error, messageId })),
);

describe('parseChunkBatches', () => {
  it('parses any split of an SSE byte stream to the same chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(chunkArbitrary, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.boolean(),
        async (chunks, cuts, comments) => {
          const bytes = new TextEncoder().encode(encodeRun(chunks, { comments }));
          const events = await collect(parseChunkBatches(streamOf(splitAt(bytes, cuts))));
          expect(events.map((event) => event.chunk)).toEqual(chunks);
          expect(events.map((event) => event.id)).toEqual(
            chunks.map((_, index) => `7.${index + 1}`),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('batches the chunks of one read, and parseChunkStream hands them out one by one', async () => {
    const chunks: StreamChunk[] = [
      { type: 'text-start', messageId, id: '0' },
      { type: 'text-delta', id: '0', delta: 'one' },
      { type: 'text-delta', id: '0', delta: ' two' },
    ];
    const bytes = new TextEncoder().encode(encodeRun(chunks));
    // Cut inside the second event: the first read completes one event, the second the rest.
    const cut = new TextDecoder().decode(bytes).indexOf('one') + 1;
    const batches: ParsedChunk[][] = [];
    for await (const batch of parseChunkBatches(streamOf(splitAt(bytes, [cut])))) {
      batches.push(batch);
    }
    expect(batches.map((batch) => batch.map((event) => event.chunk))).toEqual([
      [chunks[0]],
      [chunks[1], chunks[2]],
    ]);
    const single: ParsedChunk[] = [];
    for await (const event of parseChunkStream(streamOf(splitAt(bytes, [cut])))) {
      single.push(event);
    }
    expect(single).toEqual(batches.flat());
  });

  it('parses a stream delivered one byte at a time, with CRLF line endings', async () => {
    const chunks: StreamChunk[] = [
      { type: 'text-delta', id: '0', delta: 'Grüße 🙂' },
      { type: 'text-delta', id: '0', delta: ' und mehr' },
    ];
    const text = encodeRun(chunks).replace(/\n/g, '\r\n');
    const bytes = new TextEncoder().encode(text);
    const events = await collect(
      parseChunkBatches(streamOf([...bytes].map((byte) => Uint8Array.of(byte)))),
    );
    expect(events.map((event) => event.chunk)).toEqual(chunks);
  });

  it('stops at [DONE] and ignores anything after it', async () => {
    const text = `${encodeRun([{ type: 'text-delta', id: '0', delta: 'a' }])}data: not json\n\n`;
    const events = await collect(parseChunkBatches(streamOf([new TextEncoder().encode(text)])));
    expect(events).toHaveLength(1);
  });

  it('fails with network_error when the stream ends before [DONE]', async () => {
    const text = encodeSseEvent({
      data: JSON.stringify({ type: 'text-delta', id: '0', delta: 'a' }),
    });
    const error = await collect(
      parseChunkBatches(streamOf([new TextEncoder().encode(text)])),
    ).catch((caught: unknown) => caught);
    expect(ConfabError.isInstance(error) && error.code).toBe('network_error');
  });

  it.each([
    ['not JSON', 'data: {oops\n\n'],
    [
      'a chunk with a wrong field type',
      `data: ${JSON.stringify({ type: 'text-delta', id: '0', delta: 4 })}\n\n`,
    ],
  ])('fails with invalid_response on %s', async (_, text) => {
    const error = await collect(
      parseChunkBatches(streamOf([new TextEncoder().encode(text)])),
    ).catch((caught: unknown) => caught);
    expect(ConfabError.isInstance(error) && error.code).toBe('invalid_response');
  });

  it('skips chunks of types it does not know and keeps parts of types it does not know', async () => {
    const message = {
      id: messageId,
      threadId: 't',
      parentId: null,
      role: 'assistant',
      authorId: null,
      parts: [
        { type: 'text', text: 'See ' },
        { type: 'tool-weather', toolCallId: 'c1', input: { city: 'Oslo' } },
      ],
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      sequence: 1,
      metadata: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const text = [
      encodeSseEvent({ id: '3', data: JSON.stringify({ type: 'typing', userId: 'u1' }) }),
      encodeSseEvent({ id: '3.1', data: JSON.stringify({ type: 'data-weather', data: { c: 4 } }) }),
      encodeSseEvent({
        id: '3.2',
        data: JSON.stringify({ type: 'text-delta', id: '0', delta: 'x' }),
      }),
      encodeSseEvent({ id: '4', data: JSON.stringify({ type: 'message-updated', message }) }),
      encodeSseEvent({ data: '[DONE]' }),
    ].join('');
    const events = await collect(parseChunkBatches(streamOf([new TextEncoder().encode(text)])));
    expect(events.map((event) => event.id)).toEqual(['3.2', '4']);
    const updated = events[1]!.chunk;
    expect(updated.type === 'message-updated' && updated.message.parts).toEqual(message.parts);
  });
});
