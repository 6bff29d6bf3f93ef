import type { Message, StreamChunk } from '@confab/core';
import type { ChatScope } from '../store/chat-store';

export interface RunEvent {
  /** `<assistant message id>:<index>`: where a resumed stream continues from. */
  id: string;
  chunk: StreamChunk;
}

type RunListener = (event: RunEvent | null) => void;

/**
 * One generation in progress: the chunks it has produced so far and the listeners following it.
 * A run does not depend on any listener: it finishes and stores the answer when every client
 * has gone.
 */
export class Run {
  readonly controller = new AbortController();
  readonly events: RunEvent[] = [];
  readonly #listeners = new Set<RunListener>();
  #finished = false;
  #resolve!: (message: Message | null) => void;
  /** Resolves with the stored answer when the run has ended. */
  readonly done: Promise<Message | null> = new Promise((resolve) => {
    this.#resolve = resolve;
  });

  constructor(
    readonly threadId: string,
    readonly userMessage: Message,
    readonly assistantId: string,
    /** Who started it: the scope its answer is stored under. */
    readonly scope: ChatScope,
  ) {}

  get finished(): boolean {
    return this.#finished;
  }

  emit(chunk: StreamChunk): void {
    const event = { id: `${this.assistantId}:${this.events.length}`, chunk };
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }

  finish(answer: Message | null): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const listener of this.#listeners) listener(null);
    this.#listeners.clear();
    this.#resolve(answer);
  }

  /** Replays the events so far, then follows live ones; `null` marks the end. */
  follow(listener: RunListener, after = -1): () => void {
    for (const event of this.events.slice(after + 1)) listener(event);
    if (this.#finished) {
      listener(null);
      return () => {};
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** The runs of this process, one per thread at a time. */
export class RunRegistry {
  readonly #runs = new Map<string, Run>();

  get(threadId: string): Run | undefined {
    return this.#runs.get(threadId);
  }

  has(threadId: string): boolean {
    return this.#runs.has(threadId);
  }

  isRunning(messageId: string): boolean {
    for (const run of this.#runs.values()) if (run.assistantId === messageId) return true;
    return false;
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
