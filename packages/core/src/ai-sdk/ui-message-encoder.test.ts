import { describe, expect, it } from 'vitest';
import type { StreamChunk } from '../schemas/chunk';
import type { Message } from '../schemas/message';
import { UIMessageEncoder } from './ui-message-encoder';

const time = '2026-01-01T00:00:00.000Z';
function message(overrides: Partial<Message>): Message {
  return {
    id: 'a1',
    threadId: 't1',
    parentId: 'q1',
    role: 'assistant',
    authorId: null,
    parts: [],
    status: 'streaming',
    model: 'demo',
    usage: null,
    error: null,
    sequence: 1,
    metadata: {},
    createdAt: time,
    updatedAt: time,
    ...overrides,
  };
}

function encode(chunks: StreamChunk[], encoder = new UIMessageEncoder()) {
  return chunks.flatMap((chunk) => encoder.encode(chunk));
}

describe('UIMessageEncoder', () => {
  it('encodes a live run with reasoning and text, skipping the question', () => {
    const chunks = encode([
      { type: 'message-created', message: message({ id: 'q1', role: 'user', parentId: null }) },
      { type: 'message-created', message: message({}) },
      { type: 'run-started', messageId: 'a1' },
      { type: 'reasoning-start', messageId: 'a1', id: '0' },
      { type: 'reasoning-delta', id: '0', delta: 'Hmm' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', messageId: 'a1', id: '1' },
      { type: 'text-delta', id: '1', delta: 'Hi' },
      { type: 'text-end', id: '1' },
      {
        type: 'message-updated',
        message: message({
          status: 'complete',
          parts: [
            { type: 'reasoning', text: 'Hmm' },
            { type: 'text', text: 'Hi' },
          ],
        }),
      },
      { type: 'run-finished', messageId: 'a1', status: 'complete' },
    ]);
    expect(chunks).toEqual([
      { type: 'start', messageId: 'a1' },
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', delta: 'Hmm' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'Hi' },
      { type: 'text-end', id: '1' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('starts a resumed stream from the answer so far and goes on with its deltas', () => {
    const encoder = new UIMessageEncoder({ answerId: 'a1' });
    const chunks = encode(
      [
        { type: 'message-updated', message: message({ id: 'older', status: 'complete' }) },
        {
          type: 'message-updated',
          message: message({
            parts: [
              { type: 'reasoning', text: 'Thought' },
              { type: 'text', text: 'Half' },
            ],
          }),
        },
        { type: 'text-delta', id: '1', delta: ' done' },
        { type: 'run-finished', messageId: 'a1', status: 'cancelled' },
      ],
      encoder,
    );
    expect(chunks).toEqual([
      { type: 'start', messageId: 'a1' },
      { type: 'reasoning-start', id: '0' },
      { type: 'reasoning-delta', id: '0', delta: 'Thought' },
      { type: 'reasoning-end', id: '0' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'Half' },
      { type: 'text-delta', id: '1', delta: ' done' },
      { type: 'text-end', id: '1' },
      { type: 'finish', finishReason: 'other' },
    ]);
    expect(encoder.done).toBe(true);
    expect(encoder.encode({ type: 'text-delta', id: '1', delta: 'late' })).toEqual([]);
  });

  it('writes only what a repeated state adds, and says why a failed answer failed', () => {
    const partial = message({ parts: [{ type: 'text', text: 'Par' }] });
    const failed = message({
      status: 'failed',
      parts: [{ type: 'text', text: 'Partial' }],
      error: { code: 'model_error', message: 'The model provider answered 500.' },
    });
    expect(
      encode([
        { type: 'message-updated', message: partial },
        { type: 'message-updated', message: partial },
        { type: 'message-updated', message: failed },
      ]),
    ).toEqual([
      { type: 'start', messageId: 'a1' },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Par' },
      { type: 'text-delta', id: '0', delta: 'tial' },
      { type: 'text-end', id: '0' },
      { type: 'error', errorText: 'The model provider answered 500.' },
      { type: 'finish', finishReason: 'error' },
    ]);
  });
});
