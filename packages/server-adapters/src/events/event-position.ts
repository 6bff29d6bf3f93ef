import { ConfabError } from '@confab/core';

/**
 * Where a client stands in a thread's stream: after the logged event `seq`, and, when it last
 * had a live chunk, after `position` in the run whose `run-started` was `run`.
 */
export interface EventPosition {
  seq: number;
  run?: number;
  position?: number;
}

const pattern = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

/**
 * Reads an SSE event id (`Last-Event-ID`, or `?after=`): `<seq>` or `<run>.<position>`. Anything
 * else is a 400: an id this server never sent.
 */
export function parseEventPosition(value: string): EventPosition {
  const match = pattern.exec(value.trim());
  if (!match) {
    throw new ConfabError(
      'invalid_request',
      'Invalid event id: expected "<seq>" or "<run>.<position>".',
      {
        issues: [{ path: ['after'], message: 'Not an event id of this thread.' }],
      },
    );
  }
  const seq = Number(match[1]);
  if (match[2] === undefined) return { seq };
  return { seq, run: seq, position: Number(match[2]) };
}
