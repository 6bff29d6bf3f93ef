/**
 * A map that forgets what was used least recently once its entries weigh more than `capacity`
 * (in whatever unit the caller weighs them: characters of text, say). What it keeps stays
 * bounded however much passes through it.
 */
export class LruCache<Key, Value> {
  // A Map iterates in insertion order: re-inserting an entry on use keeps the least recently
  // used one first.
  readonly #entries = new Map<Key, { value: Value; weight: number }>();
  #weight = 0;

  constructor(readonly capacity: number) {}

  /** The value, now the most recently used; `undefined` when it is not kept. */
  get(key: Key): Value | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  has(key: Key): boolean {
    return this.#entries.has(key);
  }

  /** Keeps the value, forgetting the least recently used entries beyond the capacity. */
  set(key: Key, value: Value, weight = 1): void {
    this.delete(key);
    // Keeping it would evict everything else and then not fit either.
    if (weight > this.capacity) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    for (const [oldest, entry] of this.#entries) {
      if (this.#weight <= this.capacity) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
  }

  delete(key: Key): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
    return true;
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** The total weight of the entries kept (at most `capacity`). */
  get weight(): number {
    return this.#weight;
  }
}
