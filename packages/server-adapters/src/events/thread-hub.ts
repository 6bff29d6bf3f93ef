import type { StreamChunk } from '@confab/core';
import type { BusMessage, ThreadEventBus } from '../bus/thread-event-bus';

/**
 * One event of a thread as it travels: the chunk and its place in the thread's stream.
 * Logged chunks carry their sequence number (`seq`); live ones (the parts of an answer being
 * generated) carry the run's sequence number and their position in the run (`run`, `position`);
 * ephemeral ones (a thread deleted, later typing and presence) carry neither and are never kept.
 */
export type ThreadEvent =
  | { seq: number; chunk: StreamChunk }
  | { run: number; position: number; chunk: StreamChunk }
  | { ephemeral: true; chunk: StreamChunk };

/** The SSE id of an event: `<seq>`, `<run seq>.<position>` for a live one, none if ephemeral. */
export function eventId(event: ThreadEvent): string | undefined {
  if ('seq' in event) return String(event.seq);
  if ('run' in event) return `${event.run}.${event.position}`;
  return undefined;
}

export type HubListener = (event: ThreadEvent) => void;

/** What a thread's hub asks of the run generating its answer on this instance, if any. */
export interface HubRunHooks {
  /** Another instance's client joined: publish the answer so far. */
  onWatch(): void;
  /** A stop was asked for on another instance. */
  onStop(messageId: string): void;
}

type HubMessage =
  | { kind: 'event'; origin: string; event: ThreadEvent }
  | { kind: 'watch'; origin: string }
  | { kind: 'probe'; origin: string }
  | { kind: 'stop'; origin: string; messageId: string };

export interface ThreadHubOptions {
  bus: ThreadEventBus;
  /** How often an instance with followers of a thread tells the others it still wants its live events. */
  watchIntervalMs?: number;
  onError: (error: unknown) => void;
}

interface ThreadChannel {
  listeners: Set<HubListener>;
  /** Told when the hub closes: the follower's stream ends. */
  closers: Map<HubListener, () => void>;
  /** The bus subscription while this instance follows or generates in the thread. */
  unsubscribe: Promise<(() => void) | null>;
  /** Until when another instance wants this thread's live events. */
  watchedUntil: number;
  run: HubRunHooks | null;
  watchTimer: ReturnType<typeof setInterval> | undefined;
}

/**
 * A thread's events on this instance: delivered at once to the followers here, and through the
 * bus to the other instances. Logged and ephemeral events always cross the bus; live ones only while another
 * instance has followers (it says so with a `watch`, renewed while they stay), so an answer
 * nobody follows elsewhere costs the bus nothing per delta.
 */
export class ThreadHub {
  readonly origin = crypto.randomUUID();
  readonly #bus: ThreadEventBus;
  readonly #watchIntervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #channels = new Map<string, ThreadChannel>();

  constructor(options: ThreadHubOptions) {
    this.#bus = options.bus;
    this.#watchIntervalMs = options.watchIntervalMs ?? 10_000;
    this.#onError = options.onError;
  }

  /** Delivers an event here and, as its kind requires, to the other instances. */
  publish(threadId: string, event: ThreadEvent): void {
    const channel = this.#channels.get(threadId);
    if (channel) this.#deliver(channel, event);
    // A live chunk crosses the bus only while another instance watches (rarely: read the clock
    // only then).
    const watched = channel !== undefined && channel.watchedUntil !== 0;
    if ('run' in event && !(watched && channel.watchedUntil > Date.now())) return;
    this.#send(threadId, { kind: 'event', origin: this.origin, event });
  }

  /** Asks the run of `messageId` to stop, wherever it runs. */
  requestStop(threadId: string, messageId: string): void {
    this.#channels.get(threadId)?.run?.onStop(messageId);
    this.#send(threadId, { kind: 'stop', origin: this.origin, messageId });
  }

  /**
   * Follows a thread's events. Resolves once the bus delivers to it, so nothing published on
   * another instance after that is missed; asks a run elsewhere for its answer so far.
   */
  async follow(threadId: string, listener: HubListener, onClose?: () => void): Promise<() => void> {
    const channel = this.#open(threadId);
    channel.listeners.add(listener);
    if (onClose) channel.closers.set(listener, onClose);
    await channel.unsubscribe;
    this.#send(threadId, { kind: 'watch', origin: this.origin });
    channel.watchTimer ??= setInterval(() => {
      this.#send(threadId, { kind: 'watch', origin: this.origin });
    }, this.#watchIntervalMs);
    return () => {
      channel.listeners.delete(listener);
      channel.closers.delete(listener);
      if (channel.listeners.size === 0) {
        clearInterval(channel.watchTimer);
        channel.watchTimer = undefined;
      }
      this.#closeIfUnused(threadId, channel);
    };
  }

  /**
   * Registers the run generating in a thread here, which hears watches and stops, and asks the
   * other instances whether they have followers of the thread (they answer with a watch).
   */
  async attachRun(threadId: string, hooks: HubRunHooks): Promise<() => void> {
    const channel = this.#open(threadId);
    channel.run = hooks;
    await channel.unsubscribe;
    this.#send(threadId, { kind: 'probe', origin: this.origin });
    return () => {
      if (channel.run === hooks) channel.run = null;
      this.#closeIfUnused(threadId, channel);
    };
  }

  /** Stops following every thread: each follower's stream ends. */
  close(): void {
    for (const [threadId, channel] of this.#channels) {
      for (const close of channel.closers.values()) close();
      channel.closers.clear();
      channel.listeners.clear();
      channel.run = null;
      this.#closeIfUnused(threadId, channel);
    }
  }

  #open(threadId: string): ThreadChannel {
    const channel = this.#channels.get(threadId);
    if (channel) return channel;
    const created: ThreadChannel = {
      listeners: new Set(),
      closers: new Map(),
      unsubscribe: Promise.resolve(null),
      watchedUntil: 0,
      run: null,
      watchTimer: undefined,
    };
    created.unsubscribe = this.#bus
      .subscribe(threadId, (message) => this.#receive(threadId, created, message as HubMessage))
      .catch((error: unknown) => {
        this.#onError(error);
        return null;
      });
    this.#channels.set(threadId, created);
    return created;
  }

  #closeIfUnused(threadId: string, channel: ThreadChannel) {
    if (channel.listeners.size > 0 || channel.run) return;
    if (this.#channels.get(threadId) === channel) this.#channels.delete(threadId);
    clearInterval(channel.watchTimer);
    void channel.unsubscribe.then((unsubscribe) => unsubscribe?.());
  }

  #receive(threadId: string, channel: ThreadChannel, message: HubMessage) {
    if (message.origin === this.origin) return;
    switch (message.kind) {
      case 'event':
        this.#deliver(channel, message.event);
        return;
      case 'watch':
        channel.watchedUntil = Date.now() + this.#watchIntervalMs * 2.5;
        channel.run?.onWatch();
        return;
      case 'probe':
        if (channel.listeners.size > 0)
          this.#send(threadId, { kind: 'watch', origin: this.origin });
        return;
      case 'stop':
        channel.run?.onStop(message.messageId);
        return;
    }
  }

  #deliver(channel: ThreadChannel, event: ThreadEvent) {
    for (const listener of channel.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  #send(threadId: string, message: HubMessage) {
    this.#bus.publish(threadId, message as unknown as BusMessage).catch(this.#onError);
  }
}
