import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import { currentBranch } from './branch';

let sequence = 0;
function message(id: string, parentId: string | null, role: Message['role'] = 'user'): Message {
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString();
  return {
    id,
    threadId: 't',
    parentId,
    role,
    authorId: null,
    parts: [{ type: 'text', text: id }],
    status: 'complete',
    model: null,
    usage: null,
    error: null,
    sequence: sequence++,
    metadata: {},
    createdAt: time,
    updatedAt: time,
  };
}

const ids = (messages: Message[]) => messages.map((item) => item.id);

describe('currentBranch', () => {
  it('returns a linear thread as it is, the same array', () => {
    const thread = [
      message('q1', null),
      message('a1', 'q1'),
      message('q2', 'a1'),
      message('a2', 'q2'),
    ];
    expect(currentBranch(thread)).toBe(thread);
    expect(currentBranch([])).toEqual([]);
  });

  it('leaves out the earlier versions of a regenerated answer', () => {
    const thread = [
      message('q1', null),
      message('a1', 'q1', 'assistant'),
      message('a1b', 'q1', 'assistant'),
      message('q2', 'a1b'),
      message('a2', 'q2', 'assistant'),
      message('a2b', 'q2', 'assistant'),
      message('a2c', 'q2', 'assistant'),
    ];
    expect(ids(currentBranch(thread))).toEqual(['q1', 'a1b', 'q2', 'a2c']);
  });

  it('ends at the leaf it is given, leaving out what follows it', () => {
    const thread = [
      message('q1', null),
      message('a1', 'q1', 'assistant'),
      message('q2', 'a1'),
      message('a2', 'q2', 'assistant'),
    ];
    expect(ids(currentBranch(thread, 'q2'))).toEqual(['q1', 'a1', 'q2']);
    expect(currentBranch(thread, 'missing')).toBe(thread);
  });

  it('keeps the older messages as they are where the parent is on a page not loaded', () => {
    const page = [
      message('a7', 'q7', 'assistant'),
      message('a7b', 'q7', 'assistant'),
      message('q8', 'a7b'),
      message('a8', 'q8', 'assistant'),
    ];
    // q7 is on the previous page: a7 and a7b stay, the walk cannot tell which one is current.
    expect(ids(currentBranch(page))).toEqual(['a7', 'a7b', 'q8', 'a8']);
  });

  it('follows a message sent under an earlier one, leaving out the abandoned turns', () => {
    const thread = [
      message('q1', null),
      message('a1', 'q1', 'assistant'),
      message('q2', 'a1'),
      message('a2', 'q2', 'assistant'),
      message('q2b', 'a1'),
    ];
    expect(ids(currentBranch(thread))).toEqual(['q1', 'a1', 'q2b']);
  });

  it('keeps everything before a message without a parent as it is', () => {
    const thread = [message('q1', null), message('a1', null, 'assistant'), message('q2', null)];
    expect(currentBranch(thread)).toBe(thread);
  });
});
