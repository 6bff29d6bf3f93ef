import type { ChatBackend } from '../backend/chat-backend';
import type { Thread } from '../schemas/thread';
import { ThreadController } from './thread-controller';
import type { UpdateScheduler } from './update-scheduler';

export interface ChatClientOptions {
  backend: ChatBackend;
  /** Messages per history page. Default 50. */
  pageSize?: number;
  /** When streamed text is announced; see `ThreadControllerOptions.scheduler`. */
  scheduler?: UpdateScheduler;
  /**
   * Follow each thread's events while its controller has listeners (a UI showing it): sends
   * from other tabs, devices and members, and answers already streaming when it was opened.
   * Default false; `ChatProvider` turns it on.
   */
  live?: boolean;
  /** Waits between attempts to resume a dropped stream; see `ThreadControllerOptions`. */
  retryDelay?: (attempt: number) => number;
  /**
   * Milliseconds a thread's controller is kept once nothing observes it (no view shows the
   * thread) and no answer is being sent from it; then it is released, with what it loaded.
   * Default 5 minutes. `Infinity` keeps every controller for the client's lifetime.
   */
  gcTime?: number;
}

export interface ThreadOptions {
  /** The thread was just created: its controller starts with no history to load. */
  isNew?: boolean;
}

/**
 * The entry point of a chat UI: holds the backend and one live controller per open thread.
 * Thread lists, renames and deletes go straight to `client.backend`.
 */
export class ChatClient {
  readonly backend: ChatBackend;
  readonly #pageSize: number | undefined;
  readonly #scheduler: UpdateScheduler | undefined;
  readonly #live: boolean;
  readonly #retryDelay: ((attempt: number) => number) | undefined;
  readonly #gcTime: number;
  readonly #threads = new Map<string, ThreadController>();
  readonly #releases = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #threadListeners = new Set<(thread: Thread) => void>();
  readonly #deletedListeners = new Set<(threadId: string) => void>();

  constructor(options: ChatClientOptions) {
    this.backend = options.backend;
    this.#pageSize = options.pageSize;
    this.#scheduler = options.scheduler;
    this.#live = options.live ?? false;
    this.#retryDelay = options.retryDelay;
    this.#gcTime = options.gcTime ?? 5 * 60_000;
  }

  /** Hears every thread change a stream reports (a generated title, new activity). */
  onThreadUpdated(listener: (thread: Thread) => void): () => void {
    this.#threadListeners.add(listener);
    return () => {
      this.#threadListeners.delete(listener);
    };
  }

  /** Hears of every thread a stream reports deleted (from another tab or instance, say). */
  onThreadDeleted(listener: (threadId: string) => void): () => void {
    this.#deletedListeners.add(listener);
    return () => {
      this.#deletedListeners.delete(listener);
    };
  }

  /**
   * The controller of a thread, created on first use and kept while anything observes it (and
   * `gcTime` after): every view of the thread shares it.
   */
  thread(threadId: string, options: ThreadOptions = {}): ThreadController {
    let controller = this.#threads.get(threadId);
    if (!controller) {
      controller = new ThreadController({
        isNew: options.isNew,
        onObservedChange: (observed) => {
          if (observed) this.#keep(threadId);
          else this.#releaseLater(threadId);
        },
        backend: this.backend,
        threadId,
        pageSize: this.#pageSize,
        scheduler: this.#scheduler,
        live: this.#live,
        retryDelay: this.#retryDelay,
        onThreadUpdated: (thread) => {
          for (const listener of this.#threadListeners) listener(thread);
        },
        onThreadDeleted: (id) => {
          for (const listener of this.#deletedListeners) listener(id);
        },
      });
      this.#threads.set(threadId, controller);
      // A controller asked for and never observed is released like one no longer observed.
      this.#releaseLater(threadId);
    }
    return controller;
  }

  /** The threads whose controllers are held now. */
  get threadIds(): string[] {
    return [...this.#threads.keys()];
  }

  /** Forgets a thread's controller (after it was deleted, say), dropping its local stream. */
  forget(threadId: string): void {
    this.#keep(threadId);
    this.#threads.get(threadId)?.dispose();
    this.#threads.delete(threadId);
  }

  #keep(threadId: string) {
    clearTimeout(this.#releases.get(threadId));
    this.#releases.delete(threadId);
  }

  #releaseLater(threadId: string) {
    this.#keep(threadId);
    if (!Number.isFinite(this.#gcTime)) return;
    const timer = setTimeout(() => {
      this.#releases.delete(threadId);
      const controller = this.#threads.get(threadId);
      // An answer being sent from it finishes here first (its caller awaits it).
      if (controller?.isRunning) this.#releaseLater(threadId);
      else if (controller) this.forget(threadId);
    }, this.#gcTime);
    // In Node, a pending release does not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
    this.#releases.set(threadId, timer);
  }
}
