/**
 * Writes that many callers make at once, merged: while one batch is being written, the writes
 * that arrive wait, and go together in the next. A store that writes every answer's progress
 * every half second for hundreds of answers then makes a statement per batch, not per answer, and
 * a caller alone waits no longer than for its own write (the first batch starts in the same turn
 * of the event loop, with whatever arrived in it).
 *
 * Writes of different keys never share a batch (a store whose database must know the caller
 * keys them by caller). When a batch fails, each of its writes is tried alone, so one bad write
 * fails only its own caller; unless the error is one they all share (the database is down),
 * which fails them all at once.
 */
export class WriteBatch<Input, Output> {
  readonly #queues = new Map<string, Queued<Input, Output>[]>();
  readonly #writing = new Set<string>();

  constructor(
    /**
     * Writes a batch (of one, too); resolves with one output per input, in their order. The
     * writes of a failed batch are written again one by one, each as a batch of one.
     */
    private readonly writeMany: (inputs: Input[]) => Promise<Output[]>,
    /** Whether a batch's error would be every write's (trying them alone would be no use). */
    private readonly sharedFailure: (error: unknown) => boolean,
    /** Most writes in one batch. */
    private readonly maxSize = 500,
  ) {}

  write(key: string, input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      const queue = this.#queues.get(key);
      if (queue) queue.push({ input, resolve, reject });
      else this.#queues.set(key, [{ input, resolve, reject }]);
      if (!this.#writing.has(key)) {
        this.#writing.add(key);
        // The writes of this turn of the event loop (timers that fire together) join the first.
        setImmediate(() => void this.#drain(key));
      }
    });
  }

  async #drain(key: string): Promise<void> {
    try {
      while (true) {
        const queue = this.#queues.get(key);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxSize);
        if (queue.length === 0) this.#queues.delete(key);
        await this.#writeBatch(batch);
      }
    } finally {
      this.#writing.delete(key);
    }
  }

  async #writeBatch(batch: Queued<Input, Output>[]): Promise<void> {
    try {
      const outputs = await this.writeMany(batch.map((item) => item.input));
      for (const [index, item] of batch.entries()) item.resolve(outputs[index]!);
      return;
    } catch (error) {
      if (batch.length === 1 || this.sharedFailure(error)) {
        for (const item of batch) item.reject(error);
        return;
      }
      // Tried alone below: the failing write fails its own caller, the others go through.
    }
    for (const item of batch) {
      try {
        const [output] = await this.writeMany([item.input]);
        item.resolve(output!);
      } catch (error) {
        item.reject(error);
      }
    }
  }
}

interface Queued<Input, Output> {
  input: Input;
  resolve: (output: Output) => void;
  reject: (error: unknown) => void;
}
