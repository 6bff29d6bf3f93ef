import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import { toUIMessages } from './to-ui-messages';

const time = '2026-01-01T00:00:00.000Z';
function message(overrides: Partial<Message> & Pick<Message, 'id'>): Message {
  return {
    threadId: 't1',
    parentId: null,
    role: 'user',
    authorId: 'ada',
    parts: [],
    status: 'complete',
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

describe('toUIMessages', () => {
  it('keeps the current branch and maps each part to its AI SDK counterpart', () => {
    const question = message({
      id: 'q1',
      parts: [
        { type: 'text', text: 'Look' },
        {
          type: 'file',
          mediaType: 'image/png',
          url: 'https://example.com/a.png',
          filename: 'a.png',
        },
      ],
    });
    const earlier = message({
      id: 'a1',
      parentId: 'q1',
      role: 'assistant',
      status: 'failed',
      parts: [{ type: 'text', text: 'Oops' }],
      error: { code: 'model_error', message: 'Upstream failed.' },
    });
    const latest = message({
      id: 'a2',
      parentId: 'q1',
      role: 'assistant',
      status: 'streaming',
      parts: [
        { type: 'reasoning', text: 'Thinking' },
        { type: 'source', url: 'https://example.com', title: 'Example' },
        { type: 'text', text: 'A cat' },
        { type: 'tool-call', name: 'later' } as unknown as Message['parts'][number],
      ],
    });
    expect(toUIMessages([question, earlier, latest])).toEqual([
      {
        id: 'q1',
        role: 'user',
        metadata: { status: 'complete', createdAt: time, model: 'demo' },
        parts: [
          { type: 'text', text: 'Look', state: 'done' },
          {
            type: 'file',
            mediaType: 'image/png',
            url: 'https://example.com/a.png',
            filename: 'a.png',
          },
        ],
      },
      {
        id: 'a2',
        role: 'assistant',
        metadata: { status: 'streaming', createdAt: time, model: 'demo' },
        parts: [
          { type: 'reasoning', text: 'Thinking', state: 'streaming' },
          {
            type: 'source-url',
            sourceId: 'https://example.com',
            url: 'https://example.com',
            title: 'Example',
          },
          { type: 'text', text: 'A cat', state: 'streaming' },
        ],
      },
    ]);
    // A failed answer says why in its metadata.
    expect(toUIMessages([question, earlier])[1]!.metadata).toEqual({
      status: 'failed',
      createdAt: time,
      model: 'demo',
      error: { code: 'model_error', message: 'Upstream failed.' },
    });
  });
});
