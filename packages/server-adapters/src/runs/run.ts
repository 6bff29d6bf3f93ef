import type { Message, StreamChunk } from '@confab/core';
import { applyPartChunk, isPartChunk } from '@confab/core';
import type { ThreadEvent, ThreadHub } from '../events/thread-hub';
import type { ChatScope } from '../store/chat-store';

/**
 * One answer being generated on this instance: the answer so far, and where its live chunks
 * stand. It holds the thread's run lease in the store; its chunks go through the hub to every
 * follower of the thread, on every instance. A run does not depend on any follower: it finishes
 * and stores the answer when every client has gone.
 */
export class Run {
  readonly controller = new AbortController();
  /** The answer as generated so far (its parts grow with every part chunk). */
  message: Message;
  /** How many live chunks the run has published: the position of the latest. */
  position = 0;
  #finished = false;
  #resolve!: (message: Message | null) => void;
  /** Resolves with the stored answer when the run has ended. */
  readonly done: Promise<Message | null> = new Promise((resolve) => {
    this.#resolve = resolve;
  });

  constructor(
    readonly hub: ThreadHub,
    readonly question: Message,
    answer: Message,
    /** The sequence number of the run's `run-started` event: live chunks are numbered after it. */
    readonly seq: number,
    /** Who started it: the scope its answer is stored under. */
    readonly scope: ChatScope,
  ) {
    this.message = answer;
  }

  get threadId(): string {
    return this.message.threadId;
  }

  get messageId(): string {
    return this.message.id;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Publishes a live chunk (a part starting, growing or ending) and applies it to the answer. */
  emit(chunk: StreamChunk): void {
    if (isPartChunk(chunk)) {
      this.message = { ...this.message, parts: applyPartChunk(this.message.parts, chunk) };
    }
    this.position += 1;
    this.hub.publish(this.threadId, { run: this.seq, position: this.position, chunk });
  }

  /** The answer so far, as the event a joining follower starts from. */
  snapshot(): ThreadEvent {
    return {
      run: this.seq,
      position: this.position,
      chunk: { type: 'message-updated', message: this.message },
    };
  }

  finish(answer: Message | null): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#resolve(answer);
  }
}

/** The runs of this instance, one per thread at a time. */
export class RunRegistry {
  readonly #runs = new Map<string, Run>();

  get(threadId: string): Run | undefined {
    return this.#runs.get(threadId);
  }

  add(run: Run): void {
    this.#runs.set(run.threadId, run);
    run.done.then(() => {
      if (this.#runs.get(run.threadId) === run) this.#runs.delete(run.threadId);
    });
  }

  /** Resolves when every run in progress has ended. */
  async idle(): Promise<void> {
    while (this.#runs.size > 0) await Promise.all([...this.#runs.values()].map((run) => run.done));
  }

  abortAll(reason?: unknown): void {
    for (const run of this.#runs.values()) run.controller.abort(reason);
  }
}
