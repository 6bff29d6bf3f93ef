import type { BusListener, BusMessage, ThreadEventBus } from './thread-event-bus';

interface Subscription {
  listener: BusListener;
  /** The `onError` of the bus the listener subscribed through: its throws are reported there. */
  onError: (error: unknown) => void;
}

/**
 * The listeners of every thread, shared by the buses made over it. Handles over one registry
 * stand for server instances in one process: a message published through any of them reaches
 * the subscribers of all.
 */
export interface InProcessBusRegistry {
  readonly threads: Map<string, Set<Subscription>>;
  /** Whether a message is being delivered now (a listener that publishes is inside delivery). */
  delivering: boolean;
  /** Messages published from inside delivery, as thread id then message, delivered after it. */
  readonly pending: (string | BusMessage)[];
}

export interface InProcessBusOptions {
  /** Shares listeners with the other buses made over it. Default: a registry of its own. */
  registry?: InProcessBusRegistry;
  /** Called with what a listener throws. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

export function inProcessBusRegistry(): InProcessBusRegistry {
  return { threads: new Map(), delivering: false, pending: [] };
}

// One settled promise for every publish: delivery is synchronous, there is nothing to wait for.
const delivered: Promise<void> = Promise.resolve();

/**
 * A bus within one process, for a single server instance and for tests.
 *
 * Delivery is synchronous: `publish` has called every listener of the thread when it returns.
 * Messages are handed over as they are, not serialised or copied (this is the hot path: one
 * delta every few milliseconds for each answer being generated), so listeners must not mutate
 * them. A listener that publishes does so inside a delivery; its message is queued and delivered
 * once the current one has reached every listener, so each listener still hears a thread's
 * messages in publish order.
 */
export function inProcessBus(options: InProcessBusOptions = {}): ThreadEventBus {
  const registry = options.registry ?? inProcessBusRegistry();
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  // What this handle subscribed, so that `close()` removes exactly that.
  const own = new Map<Subscription, string>();
  let closed = false;

  function unsubscribe(subscription: Subscription): void {
    const threadId = own.get(subscription);
    if (threadId === undefined) return;
    own.delete(subscription);
    const subscriptions = registry.threads.get(threadId);
    if (!subscriptions) return;
    subscriptions.delete(subscription);
    if (subscriptions.size === 0) registry.threads.delete(threadId);
  }

  return {
    publish(threadId, message) {
      if (closed) return delivered;
      if (registry.delivering) {
        registry.pending.push(threadId, message);
        return delivered;
      }
      registry.delivering = true;
      try {
        deliver(registry, threadId, message);
        const pending = registry.pending;
        // `pending` grows while it is drained when listeners keep publishing: read its length
        // on every turn.
        for (let index = 0; index < pending.length; index += 2) {
          deliver(registry, pending[index] as string, pending[index + 1] as BusMessage);
        }
      } finally {
        registry.pending.length = 0;
        registry.delivering = false;
      }
      return delivered;
    },

    async subscribe(threadId, listener) {
      if (closed) throw new Error('This bus is closed: it cannot subscribe any more.');
      const subscription: Subscription = { listener, onError };
      let subscriptions = registry.threads.get(threadId);
      if (!subscriptions) {
        subscriptions = new Set();
        registry.threads.set(threadId, subscriptions);
      }
      subscriptions.add(subscription);
      own.set(subscription, threadId);
      return () => unsubscribe(subscription);
    },

    async close() {
      closed = true;
      for (const subscription of [...own.keys()]) unsubscribe(subscription);
    },
  };
}

function deliver(registry: InProcessBusRegistry, threadId: string, message: BusMessage): void {
  const subscriptions = registry.threads.get(threadId);
  if (!subscriptions) return;
  for (const subscription of subscriptions) {
    try {
      subscription.listener(message);
    } catch (error) {
      subscription.onError(error);
    }
  }
}
