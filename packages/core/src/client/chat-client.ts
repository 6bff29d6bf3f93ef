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
}

/**
 * The entry point of a chat UI: holds the backend and one live controller per open thread.
 * Thread lists, renames and deletes go straight to `client.backend`.
 */
export class ChatClient {
  readonly backend: ChatBackend;
  readonly #pageSize: number | undefined;
  readonly #scheduler: UpdateScheduler | undefined;
  readonly #threads = new Map<string, ThreadController>();
  readonly #threadListeners = new Set<(thread: Thread) => void>();

  constructor(options: ChatClientOptions) {
    this.backend = options.backend;
    this.#pageSize = options.pageSize;
    this.#scheduler = options.scheduler;
  }

  /** Hears every thread change a stream reports (a generated title, new activity). */
  onThreadUpdated(listener: (thread: Thread) => void): () => void {
    this.#threadListeners.add(listener);
    return () => {
      this.#threadListeners.delete(listener);
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
        onThreadUpdated: (thread) => {
          for (const listener of this.#threadListeners) listener(thread);
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
