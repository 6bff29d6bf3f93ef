export type Listener = () => void;

/** The `subscribe/getSnapshot` half of every stateful object, as `useSyncExternalStore` reads it. */
export class Subscribable {
  #listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  protected get hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  protected notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
