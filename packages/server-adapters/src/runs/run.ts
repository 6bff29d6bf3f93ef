import type { Message, Part, StreamChunk } from '@confab/core';
import { growParts, isPartChunk } from '@confab/core';
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
  /** How many live chunks the run has published: the position of the latest. */
  position = 0;
  /** The answer as it was created; its parts are `#parts`. */
  readonly #answer: Message;
  /**
   * The parts so far, grown in place: a delta appends to its part's text instead of copying the
   * part, the parts and the message, which a run does for every token. Only the run holds them;
   * `message` hands out a copy.
   */
  readonly #parts: Part[];
  /** The last copy `message` made, until the next part chunk. */
  #message: Message | null = null;
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
    this.#answer = answer;
    this.#parts = answer.parts.map((part) => ({ ...part }));
  }

  get threadId(): string {
    return this.#answer.threadId;
  }

  get messageId(): string {
    return this.#answer.id;
  }

  /**
   * The answer as generated so far. The same object until a part chunk changes it, so a caller
   * can tell whether anything changed since it last looked; never changed once handed out.
   */
  get message(): Message {
    this.#message ??= { ...this.#answer, parts: this.#parts.map((part) => ({ ...part })) };
    return this.#message;
  }

  /** How many parts the answer has: the index the next part gets. */
  get partCount(): number {
    return this.#parts.length;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Publishes a live chunk (a part starting, growing or ending) and applies it to the answer. */
  emit(chunk: StreamChunk): void {
    if (isPartChunk(chunk) && growParts(this.#parts, chunk)) this.#message = null;
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
