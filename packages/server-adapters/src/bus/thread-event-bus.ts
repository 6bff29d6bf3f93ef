/**
 * What travels on the bus: a plain JSON value (an object), small in the common case (one delta)
 * and occasionally large (a whole message). Buses serialise it with `JSON.stringify`.
 */
export type BusMessage = Record<string, unknown>;

export type BusListener = (message: BusMessage) => void;

/**
 * Carries a thread's events between every server instance that shares a store. `publish` on any
 * instance reaches every subscriber of that thread on every instance, this one included.
 *
 * Guarantees every implementation keeps (and the conformance suite checks):
 * - messages one instance publishes for one thread reach each subscriber in publish order;
 * - a subscriber hears every message published after its `subscribe()` resolved, until it
 *   unsubscribes; nothing published for other threads;
 * - a message of any size (up to a few MiB) arrives whole;
 * - a listener that throws does not stop delivery to the others;
 * - `publish` never throws for a transport failure: it reports it to `onError` and drops the
 *   message (events are also stored; a bus is how they arrive fast, not where they are kept).
 */
export interface ThreadEventBus {
  publish(threadId: string, message: BusMessage): Promise<void>;
  /** Resolves once subscribed, with the function that unsubscribes. */
  subscribe(threadId: string, listener: BusListener): Promise<() => void>;
  /** Ends subscriptions and connections the bus opened. */
  close(): Promise<void>;
}
