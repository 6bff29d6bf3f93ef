import { describe, expect, it } from 'vitest';
import { WriteBatch } from './write-batch';

/**
 * A batch over a fake database that records every batch it was asked to write. A batch with a
 * negative input fails (`bad …`); `down` makes the next batch fail as a database that is down.
 */
function recordingBatch(options: { maxSize?: number } = {}) {
  const batches: number[][] = [];
  const database = { down: false };
  const batch = new WriteBatch<number, string>(
    async (inputs) => {
      batches.push(inputs);
      if (database.down) {
        database.down = false;
        throw new Error('down');
      }
      if (inputs.some((input) => input < 0)) throw new Error(`bad ${inputs.join(',')}`);
      return inputs.map((input) => `wrote ${input}`);
    },
    (error) => error instanceof Error && error.message === 'down',
    options.maxSize,
  );
  return { batch, batches, database };
}

describe('WriteBatch', () => {
  it('writes what arrives in one turn together, and what arrives meanwhile in the next batch', async () => {
    const { batch, batches } = recordingBatch();
    const first = [1, 2, 3].map((input) => batch.write('', input));
    // Arrives while the first batch is being written.
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((input) => batch.write('', input));
    expect(await Promise.all([...first, ...second])).toEqual([
      'wrote 1',
      'wrote 2',
      'wrote 3',
      'wrote 4',
      'wrote 5',
    ]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('writes a write that comes alone by itself', async () => {
    const { batch, batches } = recordingBatch();
    expect(await batch.write('k', 7)).toBe('wrote 7');
    expect(batches).toEqual([[7]]);
  });

  it('never mixes keys, and caps a batch', async () => {
    const { batch, batches } = recordingBatch({ maxSize: 2 });
    const results = await Promise.all([
      batch.write('a', 1),
      batch.write('b', 2),
      batch.write('a', 3),
      batch.write('a', 4),
      batch.write('b', 5),
    ]);
    expect(results).toEqual(['wrote 1', 'wrote 2', 'wrote 3', 'wrote 4', 'wrote 5']);
    // Each key drains on its own: their batches may interleave.
    expect(batches).toHaveLength(3);
    expect(batches).toEqual(expect.arrayContaining([[1, 3], [4], [2, 5]]));
  });

  it('tries the writes of a failed batch alone: only the bad one fails', async () => {
    const { batch, batches } = recordingBatch();
    const results = await Promise.allSettled([1, -2, 3].map((input) => batch.write('', input)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'wrote 1' },
      { status: 'rejected', reason: new Error('bad -2') },
      { status: 'fulfilled', value: 'wrote 3' },
    ]);
    expect(batches).toEqual([[1, -2, 3], [1], [-2], [3]]);
  });

  it('fails a write alone with its own error, once', async () => {
    const { batch, batches } = recordingBatch();
    await expect(batch.write('', -1)).rejects.toThrow('bad -1');
    expect(batches).toEqual([[-1]]);
  });

  it('fails every write of a batch at once with an error they all share', async () => {
    const { batch, batches, database } = recordingBatch();
    database.down = true;
    const results = await Promise.allSettled([1, 2].map((input) => batch.write('', input)));
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('down') },
      { status: 'rejected', reason: new Error('down') },
    ]);
    expect(batches).toEqual([[1, 2]]);
    // And the next write goes through.
    expect(await batch.write('', 3)).toBe('wrote 3');
  });
});
