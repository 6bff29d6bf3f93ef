export type Listener = () => void;

/**
 * The `subscribe/getSnapshot` half of every stateful object, as `useSyncExternalStore` reads it.
 * Subclasses start live work in `onSubscribe` (the first listener came) and stop it in
 * `onUnsubscribe` (the last one left).
 */
export class Subscribable {
  #listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.onSubscribe();
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.onUnsubscribe();
    };
  };

  protected onSubscribe(): void {}

  protected onUnsubscribe(): void {}

  protected get hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  protected notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
