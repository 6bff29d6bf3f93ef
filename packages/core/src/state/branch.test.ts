import { describe, expect, it } from 'vitest';
import type { Message } from '../schemas/message';
import {
  type Branch,
  branchBefore,
  placeMessage,
  removeMessage,
  withNewestPage,
  withOlderPage,
} from './branch';

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

const branchOf = (...messages: Message[]): Branch => ({ messages, versions: {} });

describe('placeMessage', () => {
  const q1 = message('q1', null);
  const a1 = message('a1', 'q1', 'assistant');
  const q2 = message('q2', 'a1');

  it('appends a message that follows the last one, and replaces one already shown', () => {
    const branch = placeMessage(branchOf(q1), a1);
    expect(ids(branch.messages)).toEqual(['q1', 'a1']);
    const updated = { ...a1, status: 'failed' as const };
    const replaced = placeMessage(branch, updated);
    expect(replaced.messages[1]).toBe(updated);
    expect(ids(replaced.messages)).toEqual(['q1', 'a1']);
  });

  it('counts a message beside one of the branch as a version, shown only when followed', () => {
    const branch = branchOf(q1, a1, q2);
    const a1b = message('a1b', 'q1', 'assistant');
    const beside = placeMessage(branch, a1b);
    expect(ids(beside.messages)).toEqual(['q1', 'a1', 'q2']);
    expect(beside.versions).toEqual({ a1: ['a1', 'a1b'], a1b: ['a1', 'a1b'] });
    const followed = placeMessage(branch, a1b, true);
    expect(ids(followed.messages)).toEqual(['q1', 'a1b']);
    expect(followed.versions.a1b).toEqual(['a1', 'a1b']);
  });

  it('places a new first question beside the first turn, but not above a partial page', () => {
    const q1b = message('q1b', null);
    expect(placeMessage(branchOf(q1, a1), q1b, true).messages).toEqual([q1b]);
    const page = branchOf(q2);
    expect(placeMessage(page, q1b)).toBe(page);
    expect(placeMessage(page, message('x', 'elsewhere'))).toBe(page);
    expect(placeMessage(branchOf(), q2).messages).toEqual([q2]);
  });
});

describe('branchBefore and removeMessage', () => {
  const q1 = message('q1', null);
  const a1 = message('a1', 'q1', 'assistant');
  const q2 = message('q2', 'a1');

  it('cuts the branch where a new version will take the place of a message', () => {
    const cut = branchBefore(branchOf(q1, a1, q2), 1, 'a1b');
    expect(ids(cut.messages)).toEqual(['q1']);
    expect(cut.versions).toEqual({ a1: ['a1', 'a1b'], a1b: ['a1', 'a1b'] });
  });

  it('removes a message with what follows it, and from the versions of its turn', () => {
    const branch: Branch = {
      messages: [q1, a1, q2],
      versions: { a1: ['a0', 'a1', 'a2'], a0: ['a0', 'a1', 'a2'], a2: ['a0', 'a1', 'a2'] },
    };
    const removed = removeMessage(branch, 'a1');
    expect(ids(removed.messages)).toEqual(['q1']);
    expect(removed.versions).toEqual({ a0: ['a0', 'a2'], a2: ['a0', 'a2'] });
    const offBranch = removeMessage(branch, 'a2');
    expect(ids(offBranch.messages)).toEqual(['q1', 'a1', 'q2']);
    expect(offBranch.versions.a1).toEqual(['a0', 'a1']);
    const last = removeMessage(offBranch, 'a0');
    expect(last.versions).toEqual({});
  });
});

describe('pages', () => {
  const chain = Array.from({ length: 6 }, (_, index) =>
    message(`m${index}`, index === 0 ? null : `m${index - 1}`),
  );

  it('keeps the older messages loaded above a first page that continues them', () => {
    const loaded: Branch = { messages: chain.slice(0, 5), versions: { m1: ['m1', 'x'] } };
    const page = { items: chain.slice(3, 6), nextCursor: 'm3', versions: {} };
    const { branch, keptOlder } = withNewestPage(loaded, page);
    expect(keptOlder).toBe(true);
    expect(ids(branch.messages)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(branch.versions).toEqual({ m1: ['m1', 'x'] });
  });

  it('replaces what is loaded with a first page of another branch', () => {
    const loaded = branchOf(...chain.slice(0, 3));
    const other = message('n1', 'elsewhere');
    const page = { items: [other], nextCursor: 'n1', versions: { n1: ['n0', 'n1'] } };
    const { branch, keptOlder } = withNewestPage(loaded, page);
    expect(keptOlder).toBe(false);
    expect(branch).toEqual({ messages: [other], versions: { n1: ['n0', 'n1'] } });
  });

  it('puts an older page above the loaded branch, once', () => {
    const older = withOlderPage(branchOf(...chain.slice(3)), {
      items: chain.slice(1, 4),
      nextCursor: 'm1',
      versions: { m2: ['m2', 'y'] },
    });
    expect(ids(older.messages)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(older.versions).toEqual({ m2: ['m2', 'y'] });
  });
});
