import type { StreamChunk } from '@confab/core';
import type { ChatScope, ChatStore } from '../store/chat-store';
import type { ThreadHub } from './thread-hub';

/**
 * Where a thread's durable events go: into its log in the store, numbered there, then through
 * the hub to every follower on every instance.
 */
export class ThreadEvents {
  constructor(
    readonly store: ChatStore,
    readonly hub: ThreadHub,
  ) {}

  /** Logs the chunks in order and publishes them; resolves with the last one's number. */
  async record(scope: ChatScope, threadId: string, chunks: StreamChunk[]): Promise<number> {
    const seqs = await this.store.appendEvents(scope, threadId, chunks);
    chunks.forEach((chunk, index) => {
      this.hub.publish(threadId, { seq: seqs[index]!, chunk });
    });
    return seqs.at(-1) ?? 0;
  }

  /** Tells the followers of a deleted thread, which has no log any more, that it is gone. */
  announceDeleted(threadId: string): void {
    this.hub.publish(threadId, { ephemeral: true, chunk: { type: 'thread-deleted', threadId } });
  }
}
