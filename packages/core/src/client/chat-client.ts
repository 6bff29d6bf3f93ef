import type { ChatBackend } from '../backend/chat-backend';
import { ThreadController } from './thread-controller';

export interface ChatClientOptions {
  backend: ChatBackend;
  /** Messages per history page. Default 50. */
  pageSize?: number;
}

/**
 * The entry point of a chat UI: holds the backend and one live controller per open thread.
 * Thread lists, renames and deletes go straight to `client.backend`.
 */
export class ChatClient {
  readonly backend: ChatBackend;
  readonly #pageSize: number | undefined;
  readonly #threads = new Map<string, ThreadController>();

  constructor(options: ChatClientOptions) {
    this.backend = options.backend;
    this.#pageSize = options.pageSize;
  }

  /** The controller of a thread, created on first use and kept for the client's lifetime. */
  thread(threadId: string): ThreadController {
    let controller = this.#threads.get(threadId);
    if (!controller) {
      controller = new ThreadController({
        backend: this.backend,
        threadId,
        pageSize: this.#pageSize,
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
