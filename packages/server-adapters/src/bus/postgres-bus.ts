import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Notification, Pool, PoolClient } from 'pg';
import { openPool } from '../postgres/load-pg';
import { deliverJson } from './deliver-json';
import type { BusListener, BusMessage, ThreadEventBus } from './thread-event-bus';

export interface PostgresBusOptions {
  /** `postgres://user:password@host:5432/database`. Default: the `DATABASE_URL` environment variable. */
  connectionString?: string;
  /**
   * A `pg` pool the app already has (the store's, say). The bus holds one of its connections for
   * as long as it is open, to listen on, and publishes through the others; it leaves the pool
   * open on `close()`.
   */
  pool?: Pool;
  /** Called with failed publishes, lost connections and throwing listeners. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. A message is cut into fragments of
 * at most this many bytes of JSON, leaving room for the header (at most about 180 bytes: a
 * 128-character thread id and a few numbers).
 */
const fragmentBytes = 7700;
/** A batch of a thread's publishes grows to about this much payload, then goes. */
const batchBytes = 256 * 1024;
/** The first field of every payload: a receiver skips payloads of a format it does not know. */
const payloadFormat = '1';

/**
 * A bus over PostgreSQL's LISTEN/NOTIFY, for instances that share a database.
 *
 * Channels: one per thread, `confab_` and 32 hex digits of the thread id's SHA-256 (thread ids
 * run to 128 characters, channel names stop at 63 bytes). Two threads could share a channel;
 * each payload names its thread, and the receiver delivers it to that thread's listeners only.
 *
 * Payloads: `1 <publisher> <sequence> <fragment>/<fragments> <threadId>\n<json>`. A message whose
 * JSON is too large for one NOTIFY is cut, at character boundaries, into numbered fragments with
 * one sequence number. A thread's messages are published one after the other (below), so its
 * fragments arrive consecutively; the receiver collects them per publisher and thread and
 * delivers the message when the last one is in. A gap (fragments lost while the listening
 * connection was down) drops that message and is reported.
 *
 * Order: PostgreSQL delivers notifications in commit order. Publishing runs through the pool,
 * where two queries on two connections could commit in either order, so a thread has at most
 * one statement on its way at a time; publishes made meanwhile wait, and go together in the
 * next statement. Different threads publish in parallel, over the pool's connections.
 *
 * Connections: one client of the pool is held to LISTEN. When it drops (a server restart,
 * `pg_terminate_backend`), the loss is reported to `onError`, and the bus reconnects with
 * backoff (100 ms doubling to 5 s) and LISTENs to every channel again. Messages published in
 * between are not heard: the store keeps them.
 */
export async function postgresBus(options: PostgresBusOptions = {}): Promise<ThreadEventBus> {
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  const { pool, ownsPool } = await openPool(options, 'A PostgreSQL bus');
  // An idle connection of its own pool that fails is the pool's to replace: report it.
  if (ownsPool) pool.on('error', onError);
  const bus = new PostgresBus(pool, ownsPool, onError);
  try {
    await bus.connect();
  } catch (error) {
    await bus.close();
    throw error;
  }
  return bus;
}

interface Subscription {
  listener: BusListener;
}

interface ChannelState {
  /** How many subscribed threads use this channel (more than one only when their hashes meet). */
  threads: number;
  /** The LISTEN for this channel on the current connection: in flight, or done. */
  listened?: Promise<void>;
}

interface PendingPublish {
  payloads: string[];
  resolve: () => void;
}

interface Outbox {
  channel: string;
  waiting: PendingPublish[];
  /** The drain that sends `waiting`: settles once the outbox is empty. */
  sent: Promise<void> | undefined;
}

interface PartialMessage {
  sequence: string;
  fragments: string[];
  count: number;
}

class PostgresBus implements ThreadEventBus {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #publisherId = randomBytes(9).toString('base64url');
  #sequence = 0;
  readonly #threads = new Map<string, Set<Subscription>>();
  readonly #channels = new Map<string, ChannelState>();
  /** Fragments of large messages, by publisher and thread, until the last one arrives. */
  readonly #partials = new Map<string, PartialMessage>();
  /** Each thread's publishes not sent yet, while one of its batches is on its way. */
  readonly #outboxes = new Map<string, Outbox>();
  /** The listening client while it is connected. */
  #client: PoolClient | undefined;
  /** Resolves with the listening client once connected, or reconnected. */
  #connection: Promise<PoolClient> | undefined;
  /** The last LISTEN or UNLISTEN sent: a `pg` client runs one query at a time. */
  #commands: Promise<unknown> = Promise.resolve();
  readonly #closing = new AbortController();
  #closed = false;

  constructor(pool: Pool, ownsPool: boolean, onError: (error: unknown) => void) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#onError = onError;
  }

  async connect(): Promise<void> {
    const client = await this.#open();
    this.#client = client;
    this.#connection = Promise.resolve(client);
  }

  publish(threadId: string, message: BusMessage): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const channel = channelOf(threadId);
    const payloads = this.#payloadsOf(threadId, JSON.stringify(message));
    return new Promise((resolve) => {
      const outbox = this.#outboxes.get(threadId);
      if (outbox) {
        outbox.waiting.push({ payloads, resolve });
        return;
      }
      const created: Outbox = { channel, waiting: [{ payloads, resolve }], sent: undefined };
      this.#outboxes.set(threadId, created);
      created.sent = this.#send(threadId, created);
    });
  }

  async subscribe(threadId: string, listener: BusListener): Promise<() => void> {
    if (this.#closed) throw new Error('This bus is closed: it cannot subscribe any more.');
    const subscription: Subscription = { listener };
    let subscriptions = this.#threads.get(threadId);
    if (!subscriptions) {
      subscriptions = new Set();
      this.#threads.set(threadId, subscriptions);
      const channel = channelOf(threadId);
      const state = this.#channels.get(channel);
      if (state) state.threads += 1;
      else this.#channels.set(channel, { threads: 1 });
    }
    subscriptions.add(subscription);
    const unsubscribe = () => this.#unsubscribe(threadId, subscription);
    try {
      await this.#listen(channelOf(threadId));
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    // Publishes already handed over still go out.
    await Promise.all([...this.#outboxes.values()].map((outbox) => outbox.sent));
    this.#threads.clear();
    this.#channels.clear();
    this.#partials.clear();
    const client = this.#client;
    this.#client = undefined;
    // Destroyed rather than returned: a pooled connection must not keep listening.
    client?.release(true);
    if (this.#ownsPool) await this.#pool.end();
  }

  #payloadsOf(threadId: string, json: string): string[] {
    this.#sequence += 1;
    const header = `${payloadFormat} ${this.#publisherId} ${this.#sequence} `;
    // Each UTF-16 unit takes at most 3 bytes in UTF-8: most messages need no measuring.
    if (json.length * 3 <= fragmentBytes) return [`${header}0/1 ${threadId}\n${json}`];
    const bytes = Buffer.from(json, 'utf8');
    if (bytes.length <= fragmentBytes) return [`${header}0/1 ${threadId}\n${json}`];
    const fragments: string[] = [];
    let start = 0;
    while (start < bytes.length) {
      let end = Math.min(start + fragmentBytes, bytes.length);
      // Never end inside a character: step back over UTF-8 continuation bytes (10xxxxxx).
      while (end < bytes.length && ((bytes[end] as number) & 0xc0) === 0x80) end -= 1;
      fragments.push(bytes.toString('utf8', start, end));
      start = end;
    }
    return fragments.map(
      (fragment, index) => `${header}${index}/${fragments.length} ${threadId}\n${fragment}`,
    );
  }

  /**
   * Sends a thread's waiting publishes, oldest first, until none is left. What piled up while a
   * batch was on its way goes in the next one, as one statement: its notifications are sent in
   * the order of the array, and delivered together, in that order, when it commits. Never
   * rejects: a batch that fails is reported and dropped.
   */
  async #send(threadId: string, outbox: Outbox): Promise<void> {
    while (outbox.waiting.length > 0) {
      const batch: PendingPublish[] = [];
      const payloads: string[] = [];
      let bytes = 0;
      // At least one publish; more while the batch stays small.
      while (outbox.waiting.length > 0 && (batch.length === 0 || bytes < batchBytes)) {
        const next = outbox.waiting.shift()!;
        batch.push(next);
        for (const payload of next.payloads) {
          payloads.push(payload);
          bytes += payload.length;
        }
      }
      try {
        if (payloads.length === 1) {
          await this.#pool.query({
            name: 'confab_bus_notify',
            text: 'select pg_notify($1, $2)',
            values: [outbox.channel, payloads[0]],
          });
        } else {
          await this.#pool.query({
            name: 'confab_bus_notify_batch',
            text: 'select pg_notify($1, payload) from unnest($2::text[]) as payload',
            values: [outbox.channel, payloads],
          });
        }
      } catch (error) {
        this.#onError(
          new Error(`The PostgreSQL bus could not publish ${batch.length} message(s).`, {
            cause: error,
          }),
        );
      }
      for (const publish of batch) publish.resolve();
    }
    this.#outboxes.delete(threadId);
  }

  #unsubscribe(threadId: string, subscription: Subscription): void {
    const subscriptions = this.#threads.get(threadId);
    if (!subscriptions?.delete(subscription) || subscriptions.size > 0) return;
    this.#threads.delete(threadId);
    for (const key of this.#partials.keys()) {
      if (key.endsWith(` ${threadId}`)) this.#partials.delete(key);
    }
    const channel = channelOf(threadId);
    const state = this.#channels.get(channel);
    if (!state) return;
    state.threads -= 1;
    if (state.threads > 0) return;
    this.#channels.delete(channel);
    const client = this.#client;
    if (!client) return; // Reconnecting: the new connection will not LISTEN to it.
    // Queued after any LISTEN for the channel, so it runs after it.
    this.#command(client, `unlisten ${quoteChannel(channel)}`).catch((error: unknown) => {
      if (client === this.#client) this.#onError(error);
    });
  }

  /** Resolves once the current connection LISTENs to `channel`, waiting through reconnects. */
  async #listen(channel: string): Promise<void> {
    for (;;) {
      if (this.#closed) throw new Error('This bus is closed: it cannot subscribe any more.');
      const state = this.#channels.get(channel);
      if (!state) return; // Unsubscribed meanwhile.
      let attempt = state.listened;
      if (!attempt) {
        attempt = this.#connected().then(async (client) => {
          await this.#command(client, `listen ${quoteChannel(channel)}`);
        });
        state.listened = attempt;
      }
      const client = this.#client;
      try {
        await attempt;
        return;
      } catch (error) {
        if (state.listened === attempt) state.listened = undefined;
        // Failed on a connection that still stands: not a drop, so trying again will not help.
        if (client && client === this.#client) throw error;
      }
    }
  }

  /** Runs `sql` on the listening client after the statements sent before it. */
  #command(client: PoolClient, sql: string): Promise<unknown> {
    const result = this.#commands.then(() => client.query(sql));
    this.#commands = result.catch(() => {});
    return result;
  }

  #connected(): Promise<PoolClient> {
    if (this.#client) return Promise.resolve(this.#client);
    if (!this.#connection) throw new Error('The PostgreSQL bus is not connected.');
    return this.#connection;
  }

  async #open(): Promise<PoolClient> {
    const client = await this.#pool.connect();
    client.on('notification', (notification) => this.#receive(notification));
    client.on('error', (error) => this.#dropped(client, error));
    client.on('end', () =>
      this.#dropped(client, new Error('The PostgreSQL bus connection ended.')),
    );
    return client;
  }

  #dropped(client: PoolClient, cause: unknown): void {
    if (client !== this.#client) return; // Already replaced, or the bus is closing.
    this.#client = undefined;
    client.release(cause instanceof Error ? cause : true);
    if (this.#closed) return;
    this.#onError(
      new Error('The PostgreSQL bus lost its listening connection; reconnecting.', { cause }),
    );
    // Fragments lost in the gap would never complete.
    this.#partials.clear();
    for (const state of this.#channels.values()) state.listened = undefined;
    this.#connection = this.#reconnect();
    // Subscribers waiting for it see a rejection only when the bus closes; nobody else waits.
    this.#connection.catch(() => {});
  }

  async #reconnect(): Promise<PoolClient> {
    for (let attempt = 0; ; attempt++) {
      await delay(Math.min(100 * 2 ** attempt, 5000), undefined, {
        signal: this.#closing.signal,
      });
      let client: PoolClient | undefined;
      try {
        client = await this.#open();
        if (this.#closed) {
          client.release(true);
          throw new Error('This bus is closed.');
        }
        const channels = [...this.#channels.keys()];
        if (channels.length > 0) {
          await client.query(
            channels.map((channel) => `listen ${quoteChannel(channel)};`).join('\n'),
          );
        }
        if (this.#closed) {
          client.release(true);
          throw new Error('This bus is closed.');
        }
        this.#client = client;
        this.#commands = Promise.resolve();
        // Channels left while LISTEN ran had no connection to UNLISTEN on: do it now.
        const left = channels.filter((channel) => !this.#channels.has(channel));
        if (left.length > 0) {
          const listening = client;
          this.#command(
            listening,
            left.map((channel) => `unlisten ${quoteChannel(channel)};`).join('\n'),
          ).catch((error: unknown) => {
            if (listening === this.#client) this.#onError(error);
          });
        }
        const listened = Promise.resolve();
        for (const channel of channels) {
          const state = this.#channels.get(channel);
          if (state) state.listened = listened;
        }
        return client;
      } catch (error) {
        if (this.#closed) throw error;
        client?.release(true);
        this.#onError(
          new Error('The PostgreSQL bus could not reconnect; trying again.', { cause: error }),
        );
      }
    }
  }

  #receive(notification: Notification): void {
    const payload = notification.payload;
    if (!payload) return;
    const headerEnd = payload.indexOf('\n');
    if (headerEnd < 0) return;
    const header = payload.slice(0, headerEnd).split(' ');
    if (header.length !== 5 || header[0] !== payloadFormat) return;
    const [, publisherId, sequence, position, threadId] = header as [
      string,
      string,
      string,
      string,
      string,
    ];
    // Another thread that shares the channel, or one unsubscribed a moment ago.
    const subscriptions = this.#threads.get(threadId);
    if (!subscriptions) return;
    const json = this.#assemble(
      publisherId,
      sequence,
      position,
      threadId,
      payload.slice(headerEnd + 1),
    );
    if (json === undefined) return;
    deliverJson(subscriptions, json, this.#onError);
  }

  /** The whole JSON once its last fragment is in; undefined before. */
  #assemble(
    publisherId: string,
    sequence: string,
    position: string,
    threadId: string,
    fragment: string,
  ): string | undefined {
    if (position === '0/1') return fragment;
    const slash = position.indexOf('/');
    const index = Number(position.slice(0, slash));
    const count = Number(position.slice(slash + 1));
    const key = `${publisherId} ${threadId}`;
    let partial = this.#partials.get(key);
    if (index === 0) {
      partial = { sequence, fragments: [], count };
      this.#partials.set(key, partial);
    } else if (!partial) {
      // Subscribed, or reconnected, after the first fragment went by.
      return undefined;
    } else if (
      partial.sequence !== sequence ||
      partial.fragments.length !== index ||
      partial.count !== count
    ) {
      this.#partials.delete(key);
      this.#onError(
        new Error(`The PostgreSQL bus lost part of a message for thread ${threadId}; dropped it.`),
      );
      return undefined;
    }
    partial.fragments.push(fragment);
    if (partial.fragments.length < count) return undefined;
    this.#partials.delete(key);
    return partial.fragments.join('');
  }
}

function channelOf(threadId: string): string {
  return `confab_${createHash('sha256').update(threadId).digest('hex').slice(0, 32)}`;
}

/** Channels are lower-case hex: quoting keeps LISTEN's identifier exactly as pg_notify names it. */
function quoteChannel(channel: string): string {
  return `"${channel}"`;
}
