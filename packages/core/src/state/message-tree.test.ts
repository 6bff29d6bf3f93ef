import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import { MessageTree } from './message-tree';

function thread(...edges: [id: string, parentId: string | null][]): Message[] {
  return edges.map(([id, parentId], sequence) => {
    const time = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString();
    return {
      id,
      threadId: 't',
      parentId,
      role: sequence % 2 === 0 ? 'user' : 'assistant',
      authorId: null,
      parts: [{ type: 'text', text: id }],
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      sequence,
      metadata: {},
      createdAt: time,
      updatedAt: time,
    };
  });
}

const ids = (messages: readonly Message[]) => messages.map((message) => message.id);

// q1 → a1, a1b (regenerated); a1b → q2 → a2, and q2b (q2 edited) → a2b.
const messages = thread(
  ['q1', null],
  ['a1', 'q1'],
  ['a1b', 'q1'],
  ['q2', 'a1b'],
  ['a2', 'q2'],
  ['q2b', 'a1b'],
  ['a2b', 'q2b'],
);

describe('MessageTree', () => {
  it('orders versions by sequence whatever the order it is given', () => {
    const tree = new MessageTree([...messages].reverse());
    expect(tree.size).toBe(7);
    expect(ids(tree.children('q1'))).toEqual(['a1', 'a1b']);
    expect(ids(tree.children(null))).toEqual(['q1']);
    expect(ids(tree.versions('q2b'))).toEqual(['q2', 'q2b']);
    expect(ids(tree.versions('a2'))).toEqual(['a2']);
    expect(tree.versions('missing')).toEqual([]);
  });

  it('ends a branch at the newest message, or below a chosen one at its newest children', () => {
    const tree = new MessageTree(messages);
    expect(tree.leafOf()?.id).toBe('a2b');
    expect(tree.leafOf('q1')?.id).toBe('a2b');
    expect(tree.leafOf('q2')?.id).toBe('a2');
    expect(tree.leafOf('a1')?.id).toBe('a1');
    expect(tree.leafOf('missing')).toBeUndefined();
    expect(new MessageTree([]).leafOf()).toBeUndefined();
  });

  it('walks a branch from the root to its leaf, leaving other versions out', () => {
    const tree = new MessageTree(messages);
    expect(ids(tree.branch('a2b'))).toEqual(['q1', 'a1b', 'q2b', 'a2b']);
    expect(ids(tree.branch('a2'))).toEqual(['q1', 'a1b', 'q2', 'a2']);
    expect(ids(tree.branch('a1'))).toEqual(['q1', 'a1']);
    expect(tree.branch('missing')).toEqual([]);
  });

  it('gives a subtree parents first', () => {
    const tree = new MessageTree(messages);
    expect(ids(tree.subtree('a1b'))).toEqual(['a1b', 'q2', 'q2b', 'a2', 'a2b']);
    expect(ids(tree.subtree('a2'))).toEqual(['a2']);
    expect(tree.subtree('missing')).toEqual([]);
  });
});
