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
  readonly #threads = new Map<string, ThreadController>();
  readonly #threadListeners = new Set<(thread: Thread) => void>();
  readonly #deletedListeners = new Set<(threadId: string) => void>();

  constructor(options: ChatClientOptions) {
    this.backend = options.backend;
    this.#pageSize = options.pageSize;
    this.#scheduler = options.scheduler;
    this.#live = options.live ?? false;
    this.#retryDelay = options.retryDelay;
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

  /** The controller of a thread, created on first use and kept for the client's lifetime. */
  thread(threadId: string): ThreadController {
    let controller = this.#threads.get(threadId);
    if (!controller) {
      controller = new ThreadController({
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
    }
    return controller;
  }

  /** Forgets a thread's controller (after it was deleted, say), dropping its local stream. */
  forget(threadId: string): void {
    this.#threads.get(threadId)?.dispose();
    this.#threads.delete(threadId);
  }
}
