import type { Message, Thread, Usage } from '@confab/core';
import type { ChatScope } from '../store/chat-store';

/** An answer about to start: who asks, in which thread, to which question, with which model. */
export interface RunStart {
  scope: ChatScope;
  thread: Thread;
  /** The question's id (a new question is stored once the run may start). */
  questionId: string;
  modelId: string;
}

/** An answer as it was finally stored. */
export interface RunEnd {
  scope: ChatScope;
  threadId: string;
  question: Message;
  answer: Message;
}

/**
 * The seam around runs, for what must not edit the handler: rate limits and quotas refuse a run
 * in `beforeRun` (throw a `ConfabError`: `rate_limited` with `retryAfter` answers 429), usage
 * accounting reads `onUsage`, logging and webhooks read `afterRun`. An error thrown after the
 * answer is stored is reported to `onError` and changes nothing.
 */
export interface RunHooks {
  /** Before the thread's lease is taken and anything is stored. */
  beforeRun?: (run: RunStart) => void | Promise<void>;
  /** The answer was stored: complete, failed or cancelled. */
  afterRun?: (run: RunEnd) => void | Promise<void>;
  /** The model reported token usage for the answer. */
  onUsage?: (run: RunEnd & { usage: Usage; modelId: string }) => void | Promise<void>;
}
