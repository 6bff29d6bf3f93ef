import { readEnvironment } from '../runtime/read-environment';
import { deliverJson } from './deliver-json';
import type { BusListener, BusMessage, ThreadEventBus } from './thread-event-bus';

type RedisModule = typeof import('redis');

/** What the bus uses of a node-redis client (whose full type depends on its options). */
interface RedisClient {
  readonly isOpen: boolean;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  close(): Promise<unknown>;
  destroy(): void;
}

export interface RedisBusOptions {
  /** `redis://user:password@host:6379`. Default: the `REDIS_URL` environment variable. */
  url?: string;
  /**
   * Starts every channel name: a thread's channel is `<prefix><threadId>`. Redis pub/sub
   * ignores database numbers, so apps (or test runs) sharing a server tell their channels apart
   * here. Default: `confab:thread:`.
   */
  channelPrefix?: string;
  /**
   * Names the bus's two connections `<name>:publisher` and `<name>:subscriber` (as `CLIENT LIST`
   * shows them). Default: `confab-bus`.
   */
  clientName?: string;
  /** Called with failed publishes, connection errors and throwing listeners. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

interface ThreadState {
  subscriptions: Set<{ listener: BusListener }>;
  /** Registered with node-redis for the thread's channel: delivers to every subscription. */
  onMessage: (message: string) => void;
  /** The SUBSCRIBE for the channel. */
  subscribed: Promise<void>;
}

/**
 * A bus over Redis pub/sub (node-redis), for instances that share a Redis server.
 *
 * Two connections, as Redis pub/sub wants: one publishes, one subscribes. Each thread has its
 * channel, `confab:thread:<threadId>`; messages go as JSON, whole (Redis takes values of up to
 * 512 MB, so nothing is cut). Redis delivers a connection's publishes in the order it received
 * them, and every publish of a bus goes through its one publishing connection, so a thread's
 * messages arrive in publish order.
 *
 * A lost connection is reported to `onError`; node-redis reconnects (with backoff, 100 ms
 * doubling to 5 s) and subscribes again to every channel. While the publisher is reconnecting,
 * publishes fail at once, are reported and dropped, rather than pile up in memory: the store
 * keeps every event. The first connection is not retried: a bus that cannot reach Redis when
 * it opens fails to open, saying why.
 */
export async function redisBus(options: RedisBusOptions = {}): Promise<ThreadEventBus> {
  const url = options.url ?? readEnvironment('REDIS_URL');
  if (!url) {
    throw new Error('A Redis bus needs a server address: pass `url` or set REDIS_URL.');
  }
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  const redis = await loadRedis();
  const clientName = options.clientName ?? 'confab-bus';
  let opened = false;
  const connection = (role: 'publisher' | 'subscriber') => {
    const client = redis.createClient({
      url,
      name: `${clientName}:${role}`,
      // Publishes made while reconnecting fail (and are reported) rather than wait in memory.
      // Subscriptions wait: node-redis sends them once it is back.
      disableOfflineQueue: role === 'publisher',
      socket: {
        reconnectStrategy: (retries, cause) =>
          opened ? Math.min(100 * 2 ** retries, 5000) : cause,
      },
    });
    // Without a listener, an 'error' event would be thrown and end the process. Before the bus
    // opens, the error reaches the caller as the rejection of `redisBus()` instead.
    client.on('error', (error: unknown) => {
      if (opened) onError(new Error(`The Redis bus ${role} connection failed.`, { cause: error }));
    });
    return client;
  };
  const publisher = connection('publisher');
  const subscriber = connection('subscriber');
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    throw error;
  }
  opened = true;
  return new RedisBus(publisher, subscriber, options.channelPrefix ?? 'confab:thread:', onError);
}

class RedisBus implements ThreadEventBus {
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #channelPrefix: string;
  readonly #onError: (error: unknown) => void;
  readonly #threads = new Map<string, ThreadState>();
  #closed = false;

  constructor(
    publisher: RedisClient,
    subscriber: RedisClient,
    channelPrefix: string,
    onError: (error: unknown) => void,
  ) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channelPrefix = channelPrefix;
    this.#onError = onError;
  }

  publish(threadId: string, message: BusMessage): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return this.#publisher.publish(this.#channelPrefix + threadId, JSON.stringify(message)).then(
      () => {},
      (error: unknown) =>
        this.#onError(new Error('The Redis bus could not publish a message.', { cause: error })),
    );
  }

  async subscribe(threadId: string, listener: BusListener): Promise<() => void> {
    if (this.#closed) throw new Error('This bus is closed: it cannot subscribe any more.');
    let state = this.#threads.get(threadId);
    if (!state) {
      const subscriptions = new Set<{ listener: BusListener }>();
      const onMessage = (json: string) => deliverJson(subscriptions, json, this.#onError);
      state = {
        subscriptions,
        onMessage,
        subscribed: this.#subscriber.subscribe(this.#channelPrefix + threadId, onMessage),
      };
      this.#threads.set(threadId, state);
    }
    const subscription = { listener };
    state.subscriptions.add(subscription);
    const unsubscribe = () => this.#unsubscribe(threadId, subscription);
    try {
      await state.subscribed;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#threads.clear();
    await Promise.all([end(this.#publisher), end(this.#subscriber)]);
  }

  #unsubscribe(threadId: string, subscription: { listener: BusListener }): void {
    const state = this.#threads.get(threadId);
    if (!state?.subscriptions.delete(subscription) || state.subscriptions.size > 0) return;
    this.#threads.delete(threadId);
    // node-redis sends UNSUBSCRIBE once its last listener for the channel is gone; a SUBSCRIBE
    // for the thread made after this one is queued behind it.
    this.#subscriber
      .unsubscribe(this.#channelPrefix + threadId, state.onMessage)
      .catch((error: unknown) => {
        if (!this.#closed) this.#onError(error);
      });
  }
}

/** Closes a connection once its commands are done; one that is down is just let go. */
async function end(client: RedisClient): Promise<void> {
  if (!client.isOpen) {
    client.destroy();
    return;
  }
  try {
    await client.close();
  } catch {
    client.destroy();
  }
}

/**
 * The `redis` module, imported on first use: it is an optional peer dependency, needed only by
 * the Redis bus.
 */
async function loadRedis(): Promise<RedisModule> {
  try {
    const module = (await import('redis')) as RedisModule & { default?: RedisModule };
    // node-redis is CommonJS: under ESM its exports may arrive as `default`.
    return module.default ?? module;
  } catch (error) {
    throw new Error('Redis buses need the `redis` package: npm install redis', { cause: error });
  }
}
