import { describe, expect, it } from 'vitest';
import { WriteBatch } from './write-batch';

/** A batch over a fake database that records the batches it was asked to write. */
function recordingBatch(options: { failMany?: (inputs: number[]) => unknown; maxSize?: number }) {
  const many: { key: string; inputs: number[] }[] = [];
  const alone: { key: string; input: number }[] = [];
  const batch = new WriteBatch<number, string>(
    async (key, inputs) => {
      many.push({ key, inputs });
      const failure = options.failMany?.(inputs);
      if (failure) throw failure;
      return inputs.map((input) => `${key}:${input}`);
    },
    async (key, input) => {
      alone.push({ key, input });
      if (input < 0) throw new Error(`bad ${input}`);
      return `${key}:${input} alone`;
    },
    (error) => error instanceof Error && error.message === 'down',
    options.maxSize,
  );
  return { batch, many, alone };
}

describe('WriteBatch', () => {
  it('writes what arrives in one turn together, and what arrives meanwhile in the next batch', async () => {
    const { batch, many, alone } = recordingBatch({});
    const first = [1, 2, 3].map((input) => batch.write('', input));
    // Arrives while the first batch is being written.
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((input) => batch.write('', input));
    expect(await Promise.all([...first, ...second])).toEqual([':1', ':2', ':3', ':4', ':5']);
    expect(many).toEqual([
      { key: '', inputs: [1, 2, 3] },
      { key: '', inputs: [4, 5] },
    ]);
    expect(alone).toEqual([]);
  });

  it('writes a write that comes alone by itself', async () => {
    const { batch, many, alone } = recordingBatch({});
    expect(await batch.write('k', 7)).toBe('k:7 alone');
    expect(many).toEqual([]);
    expect(alone).toEqual([{ key: 'k', input: 7 }]);
  });

  it('never mixes keys, and caps a batch', async () => {
    const { batch, many } = recordingBatch({ maxSize: 2 });
    const results = await Promise.all([
      batch.write('a', 1),
      batch.write('b', 2),
      batch.write('a', 3),
      batch.write('a', 4),
      batch.write('b', 5),
    ]);
    expect(results).toEqual(['a:1', 'b:2', 'a:3', 'a:4 alone', 'b:5']);
    expect(many).toEqual([
      { key: 'a', inputs: [1, 3] },
      { key: 'b', inputs: [2, 5] },
    ]);
  });

  it('tries the writes of a failed batch alone: only the bad one fails', async () => {
    const { batch, alone } = recordingBatch({
      failMany: (inputs) => (inputs.some((input) => input < 0) ? new Error('bad batch') : null),
    });
    const results = await Promise.allSettled([1, -2, 3].map((input) => batch.write('', input)));
    expect(results).toEqual([
      { status: 'fulfilled', value: ':1 alone' },
      { status: 'rejected', reason: new Error('bad -2') },
      { status: 'fulfilled', value: ':3 alone' },
    ]);
    expect(alone.map((write) => write.input)).toEqual([1, -2, 3]);
  });

  it('fails every write of a batch at once with an error they all share', async () => {
    const down = new Error('down');
    const { batch, alone } = recordingBatch({ failMany: () => down });
    const results = await Promise.allSettled([1, 2].map((input) => batch.write('', input)));
    expect(results).toEqual([
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(alone).toEqual([]);
    // And the next write goes through.
    expect(await batch.write('', 3)).toBe(':3 alone');
  });
});
