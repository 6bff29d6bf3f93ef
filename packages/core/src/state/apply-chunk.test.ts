import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import { appendDelta, applyChunk, upsertMessage } from './apply-chunk';

function message(id: string, sequence: number, patch: Partial<Message> = {}): Message {
  return {
    id,
    threadId: 't',
    parentId: null,
    role: 'assistant',
    authorId: null,
    parts: [],
    status: 'streaming',
    model: null,
    usage: null,
    error: null,
    sequence,
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...patch,
  };
}

describe('appendDelta', () => {
  it('extends the last part of the same kind and starts a new part on a change of kind', () => {
    let parts = appendDelta([], 'reasoning', 'Think');
    parts = appendDelta(parts, 'reasoning', 'ing');
    parts = appendDelta(parts, 'text', 'Hello');
    parts = appendDelta(parts, 'text', ' world');
    expect(parts).toEqual([
      { type: 'reasoning', text: 'Thinking' },
      { type: 'text', text: 'Hello world' },
    ]);
  });

  it('does not change the parts it was given', () => {
    const parts = [{ type: 'text' as const, text: 'a' }];
    appendDelta(parts, 'text', 'b');
    expect(parts).toEqual([{ type: 'text', text: 'a' }]);
  });
});

describe('applyChunk', () => {
  it('streams deltas into the message with that id only', () => {
    let messages = [message('q', 0, { role: 'user', status: 'complete' }), message('a', 1)];
    messages = applyChunk(messages, { type: 'text-delta', messageId: 'a', delta: 'Hi' });
    messages = applyChunk(messages, { type: 'text-delta', messageId: 'a', delta: '!' });
    expect(messages[1]!.parts).toEqual([{ type: 'text', text: 'Hi!' }]);
    expect(messages[0]!.parts).toEqual([]);
  });

  it('keeps the same array when a delta names an unknown message', () => {
    const messages = [message('a', 0)];
    expect(applyChunk(messages, { type: 'text-delta', messageId: 'zz', delta: 'x' })).toBe(
      messages,
    );
  });

  it('replaces a message on message-end and inserts new ones in sequence order', () => {
    let messages = [message('a', 0), message('c', 2)];
    messages = applyChunk(messages, { type: 'message-created', message: message('b', 1) });
    expect(messages.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    messages = applyChunk(messages, {
      type: 'message-end',
      message: message('c', 2, { status: 'complete', parts: [{ type: 'text', text: 'done' }] }),
    });
    expect(messages[2]!.status).toBe('complete');
    expect(messages).toHaveLength(3);
  });

  it('upsertMessage replaces by id even when the sequence changed', () => {
    const messages = upsertMessage([message('x', 5)], message('x', 0, { status: 'complete' }));
    expect(messages).toEqual([message('x', 0, { status: 'complete' })]);
  });

  it('upsertMessage moves a message whose sequence changed to its place', () => {
    // An optimistic message sent before the history loaded, numbered 0, then numbered 3.
    const before = [message('x', 0), message('a', 0), message('b', 1), message('c', 2)];
    const after = upsertMessage(before, message('x', 3, { status: 'complete' }));
    expect(after.map((item) => item.id)).toEqual(['a', 'b', 'c', 'x']);
    expect(before.map((item) => item.id)).toEqual(['x', 'a', 'b', 'c']);
  });
});
