import type { Message } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { inProcessBus } from '../bus/in-process-bus';
import { type ThreadEvent, ThreadHub } from '../events/thread-hub';
import { Run } from './run';

const message = (id: string, role: Message['role']): Message => ({
  id,
  threadId: 'thread',
  parentId: null,
  role,
  authorId: null,
  parts: [],
  status: role === 'assistant' ? 'streaming' : 'complete',
  model: null,
  usage: null,
  error: null,
  sequence: 0,
  metadata: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function startRun() {
  const hub = new ThreadHub({
    bus: inProcessBus(),
    onError: (error) => {
      throw error;
    },
  });
  const events: ThreadEvent[] = [];
  void hub.follow('thread', (event) => events.push(event));
  const run = new Run(hub, message('question', 'user'), message('answer', 'assistant'), 3, {
    userId: 'alice',
  });
  return { run, events };
}

describe('Run', () => {
  it('grows its answer with every part chunk, numbering the chunks after its run-started', () => {
    const { run, events } = startRun();
    run.emit({ type: 'reasoning-start', messageId: 'answer', id: '0' });
    run.emit({ type: 'reasoning-delta', id: '0', delta: 'Hm' });
    run.emit({ type: 'reasoning-end', id: '0' });
    run.emit({ type: 'text-start', messageId: 'answer', id: '1' });
    run.emit({ type: 'text-delta', id: '1', delta: 'Hel' });
    run.emit({ type: 'text-delta', id: '1', delta: 'lo' });
    // A delta of a part that does not exist, or of another kind, changes nothing.
    run.emit({ type: 'text-delta', id: '7', delta: 'lost' });
    run.emit({ type: 'reasoning-delta', id: '1', delta: 'lost' });
    expect(run.message.parts).toEqual([
      { type: 'reasoning', text: 'Hm' },
      { type: 'text', text: 'Hello' },
    ]);
    expect(run.partCount).toBe(2);
    expect(run.position).toBe(8);
    expect(events.map((event) => 'run' in event && [event.run, event.position])).toEqual(
      Array.from({ length: 8 }, (_, index) => [3, index + 1]),
    );
  });

  it('hands out the same answer until it changes, and never changes one it handed out', () => {
    const { run } = startRun();
    run.emit({ type: 'text-start', messageId: 'answer', id: '0' });
    run.emit({ type: 'text-delta', id: '0', delta: 'One' });
    const first = run.message;
    expect(run.message).toBe(first);
    const snapshot = run.snapshot();

    run.emit({ type: 'text-delta', id: '0', delta: ' two' });
    run.emit({ type: 'text-end', id: '0' });
    const second = run.message;
    expect(second).not.toBe(first);
    expect(second.parts).toEqual([{ type: 'text', text: 'One two' }]);
    // What was handed out before still says what it said.
    expect(first.parts).toEqual([{ type: 'text', text: 'One' }]);
    expect(snapshot).toEqual({
      run: 3,
      position: 2,
      chunk: { type: 'message-updated', message: first },
    });
    // A chunk that changes no part keeps the answer as it is.
    run.emit({ type: 'text-end', id: '0' });
    expect(run.message).toBe(second);
  });
});
