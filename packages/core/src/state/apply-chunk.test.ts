import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import type { Part } from '../schemas/part';
import { applyChunk, applyPartChunk, growParts, upsertMessage } from './apply-chunk';

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

describe('applyChunk', () => {
  it('streams parts into the streaming message only, each delta into the part it names', () => {
    let messages = [message('q', 0, { role: 'user', status: 'complete' }), message('a', 1)];
    messages = applyChunk(messages, { type: 'reasoning-start', messageId: 'a', id: '0' });
    messages = applyChunk(messages, { type: 'reasoning-delta', id: '0', delta: 'Think' });
    messages = applyChunk(messages, { type: 'reasoning-end', id: '0' });
    messages = applyChunk(messages, { type: 'text-start', messageId: 'a', id: '1' });
    messages = applyChunk(messages, { type: 'text-delta', id: '1', delta: 'Hi' });
    messages = applyChunk(messages, { type: 'text-delta', id: '1', delta: '!' });
    expect(messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Think' },
      { type: 'text', text: 'Hi!' },
    ]);
    expect(messages[0]!.parts).toEqual([]);
  });

  it('keeps the same array when no message streams or the part does not exist', () => {
    const settled = [message('a', 0, { status: 'complete' })];
    expect(applyChunk(settled, { type: 'text-delta', id: '0', delta: 'x' })).toBe(settled);
    const streaming = [message('a', 0)];
    expect(applyChunk(streaming, { type: 'text-delta', id: '3', delta: 'x' })).toBe(streaming);
  });

  it('starts a part once: a start for a part a snapshot already has changes nothing', () => {
    const parts = [{ type: 'text' as const, text: 'Hel' }];
    expect(applyPartChunk(parts, { type: 'text-start', messageId: 'a', id: '0' })).toBe(parts);
    expect(applyPartChunk(parts, { type: 'text-delta', id: '0', delta: 'lo' })).toEqual([
      { type: 'text', text: 'Hello' },
    ]);
    expect(parts).toEqual([{ type: 'text', text: 'Hel' }]);
  });

  it('grows parts in place by the same rules, saying whether they changed', () => {
    const parts: Part[] = [{ type: 'reasoning', text: 'Hm' }];
    const reasoning = parts[0];
    expect(growParts(parts, { type: 'reasoning-start', messageId: 'a', id: '0' })).toBe(false);
    expect(growParts(parts, { type: 'reasoning-delta', id: '0', delta: 'm' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '0', delta: 'x' })).toBe(false);
    expect(growParts(parts, { type: 'text-start', messageId: 'a', id: '1' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '1', delta: 'Hi' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '5', delta: 'lost' })).toBe(false);
    expect(growParts(parts, { type: 'text-end', id: '1' })).toBe(false);
    expect(parts).toEqual([
      { type: 'reasoning', text: 'Hmm' },
      { type: 'text', text: 'Hi' },
    ]);
    expect(parts[0]).toBe(reasoning);
  });

  it('removes a deleted message', () => {
    const messages = [message('a', 0), message('b', 1)];
    expect(applyChunk(messages, { type: 'message-deleted', messageId: 'a' })).toEqual([
      message('b', 1),
    ]);
  });

  it('replaces a message on message-updated and inserts new ones in sequence order', () => {
    let messages = [message('a', 0), message('c', 2)];
    messages = applyChunk(messages, { type: 'message-created', message: message('b', 1) });
    expect(messages.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    messages = applyChunk(messages, {
      type: 'message-updated',
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
