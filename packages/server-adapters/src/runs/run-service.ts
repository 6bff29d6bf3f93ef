import { ConfabError, type Message, type StreamChunk, type Thread } from '@confab/core';
import type { ThreadEvents } from '../events/thread-events';
import type { ThreadHub } from '../events/thread-hub';
import type { ChatModel, ModelMessage } from '../models/chat-model';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { type AbortReason, generate, type RunTimings } from './generate';
import { modelContext } from './model-context';
import { Run, RunRegistry } from './run';
import type { RunHooks } from './run-hooks';

export interface RunServiceOptions extends RunTimings {
  store: ChatStore;
  model: ChatModel;
  events: ThreadEvents;
  /** How many of the branch's latest messages the model sees. */
  contextMessages: number;
  system?: string;
  hooks: RunHooks;
  /** Handed every answer's completion (a serverless platform's `waitUntil`). */
  keepAlive: (done: Promise<unknown>) => void;
  onError: (error: unknown) => void;
}

/** What a new answer answers, and what is stored and logged before it starts. */
export interface AnswerRequest {
  scope: ChatScope;
  thread: Thread;
  /** The question: stored already, or stored by `prepare` once the lease is taken. */
  questionId: string;
  /**
   * Runs once the lease is taken, so no other answer starts meanwhile: stores the question (or
   * checks it may be answered again), and says what to log before the answer.
   */
  prepare?: () => Promise<{ question: Message; before: StreamChunk[] }>;
  answerId: string;
  modelId: string;
  /**
   * The answer may not be on the caller's current branch (an edit, a regeneration, a send after a
   * given message): it becomes their current leaf, and their other tabs hear of it.
   */
  moveLeaf?: boolean;
}

/** How the lease taken to settle a dead instance's answer is named: never an answer's id. */
const SETTLE_CLAIM = 'settle-';

const interrupted = {
  code: 'interrupted',
  message: 'The answer was interrupted before it finished.',
} as const;

/**
 * Starts, stops and settles runs: the one answer per thread, across every instance that shares
 * the store. The lease in the store decides who generates; the hub carries the chunks.
 */
export class RunService {
  readonly runs = new RunRegistry();
  readonly #options: RunServiceOptions;

  constructor(options: RunServiceOptions) {
    this.#options = options;
  }

  get hub(): ThreadHub {
    return this.#options.events.hub;
  }

  /**
   * Takes the thread's lease, stores the question (when new) and the empty answer, logs them with
   * `run-started`, and starts the model. Refuses with 409 while another answer is generated in
   * the thread, on any instance.
   */
  async answer(request: AnswerRequest): Promise<Run> {
    const { store, events, leaseMs } = this.#options;
    const { scope, answerId } = request;
    const threadId = request.thread.id;
    await this.#options.hooks.beforeRun?.({
      scope,
      thread: request.thread,
      questionId: request.questionId,
      modelId: request.modelId,
    });
    const lease = () => ({ messageId: answerId, expiresAt: Date.now() + leaseMs });
    // Usually the thread is free: one statement. Only when it is not is the lease read, to
    // settle an answer whose holder died (its lease expired) before taking the thread over.
    let taken = await store.acquireRun(scope, threadId, lease(), 0);
    if (!taken) {
      await this.settleAbandoned(scope, threadId);
      taken = await store.acquireRun(scope, threadId, lease(), Date.now());
    }
    if (!taken && (await this.#finishing(scope, threadId))) {
      taken = await this.#acquireSoon(scope, threadId, lease);
    }
    if (!taken) {
      throw new ConfabError(
        'generation_in_progress',
        'An answer is already being generated in this thread. Stop it or wait.',
      );
    }
    let run: Run;
    let history: ModelMessage[];
    try {
      let question: Message | null;
      const before: StreamChunk[] = [];
      if (request.prepare) {
        const stored = await request.prepare();
        question = stored.question;
        before.push(...stored.before);
      } else {
        question = await store.getMessage(scope, threadId, request.questionId);
        if (!question) throw new ConfabError('not_found', 'Message not found.');
      }
      history = await modelContext(store, scope, question, {
        contextMessages: this.#options.contextMessages,
        system: this.#options.system,
      });
      const answer = await store.appendMessage(scope, threadId, {
        id: answerId,
        parentId: question.id,
        role: 'assistant',
        authorId: null,
        parts: [],
        status: 'streaming',
        model: request.modelId,
        metadata: {},
      });
      const moved = request.moveLeaf && (await store.setLeaf(scope, threadId, answer.id));
      const seq = await events.record(scope, threadId, [
        ...before,
        { type: 'message-created', message: answer },
        ...(moved
          ? [{ type: 'leaf-updated' as const, userId: scope.userId, messageId: answer.id }]
          : []),
        { type: 'run-started', messageId: answer.id },
      ]);
      run = new Run(this.hub, question, answer, seq, scope);
    } catch (error) {
      await store.releaseRun(scope, threadId, answerId).catch(this.#options.onError);
      throw error;
    }
    this.runs.add(run);
    this.#options.keepAlive(run.done);
    const detach = await this.hub.attachRun(threadId, {
      onWatch: () => this.hub.publish(threadId, run.snapshot()),
      onStop: (messageId) => {
        if (messageId === run.messageId) run.controller.abort('stop' satisfies AbortReason);
      },
    });
    run.done.then(detach);
    void generate(run, { ...this.#options, modelId: request.modelId, history });
    return run;
  }

  /**
   * Whether the thread's lease is held by an answer that is stored as finished: its run has sent
   * `run-finished` and is releasing the lease. A client that sends as soon as its stream ended
   * gets there first; it waits for the release rather than being refused.
   */
  async #finishing(scope: ChatScope, threadId: string): Promise<boolean> {
    const { store } = this.#options;
    const held = await store.getRun(scope, threadId);
    if (!held) return true;
    const answer = await store.getMessage(scope, threadId, held.messageId);
    return answer !== null && answer.status !== 'streaming' && answer.status !== 'pending';
  }

  async #acquireSoon(
    scope: ChatScope,
    threadId: string,
    lease: () => { messageId: string; expiresAt: number },
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await this.#options.store.acquireRun(scope, threadId, lease(), Date.now())) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  /**
   * Stops the thread's run (the one of `messageId`, when given) wherever it runs, and waits until
   * its answer is stored. Resolves with the stopped answer's id, or null when none was running.
   */
  async stop(scope: ChatScope, threadId: string, messageId?: string): Promise<string | null> {
    const lease = await this.#options.store.requestStop(scope, threadId, messageId);
    // Another instance holds the thread only to settle an answer whose instance died: nothing
    // is generating, and the claim's name is no answer's.
    if (!lease || lease.messageId.startsWith(SETTLE_CLAIM)) return null;
    if (lease.expiresAt < Date.now()) {
      await this.settleAbandoned(scope, threadId);
      return lease.messageId;
    }
    const local = this.runs.get(threadId);
    if (local?.messageId === lease.messageId) {
      local.controller.abort('stop' satisfies AbortReason);
      await local.done;
      return lease.messageId;
    }
    await this.#waitForEnd(scope, threadId, lease.messageId);
    return lease.messageId;
  }

  /**
   * Waits for a run elsewhere to finish, asking it to stop (unless `stop` is false). Its holder hears the request on the
   * bus, or, at the latest, with its next lease renewal; a holder that renews no more is dead,
   * and its answer is settled here once the lease expires.
   */
  async #waitForEnd(
    scope: ChatScope,
    threadId: string,
    messageId: string,
    stop = true,
  ): Promise<void> {
    let finished!: () => void;
    const ended = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const unfollow = await this.hub.follow(threadId, (event) => {
      if (event.chunk.type === 'run-finished' && event.chunk.messageId === messageId) finished();
    });
    try {
      if (stop) this.hub.requestStop(threadId, messageId);
      while (true) {
        const lease = await this.#options.store.getRun(scope, threadId);
        if (!lease || lease.messageId !== messageId) return;
        if (lease.expiresAt < Date.now()) {
          await this.settleAbandoned(scope, threadId);
          return;
        }
        const timedOut = await Promise.race([
          ended.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(resolve, 250, true)),
        ]);
        if (!timedOut) return;
      }
    } finally {
      unfollow();
    }
  }

  /**
   * Settles the answer of a run whose holder died (its lease expired, or `force`): stored as
   * failed with `interrupted`, logged, and the thread freed for the next answer.
   */
  async settleAbandoned(scope: ChatScope, threadId: string): Promise<void> {
    const { store, leaseMs } = this.#options;
    const lease = await store.getRun(scope, threadId);
    const now = Date.now();
    if (!lease || lease.expiresAt >= now) return;
    // Taking the expired lease first makes one instance the one that settles it; under a name
    // of its own, so a holder that was only slow finds its lease gone and leaves the outcome.
    const claim = { messageId: `${SETTLE_CLAIM}${crypto.randomUUID()}`, expiresAt: now + leaseMs };
    if (!(await store.acquireRun(scope, threadId, claim, now))) return;
    try {
      await this.#interrupt(scope, threadId, lease.messageId);
    } finally {
      await store.releaseRun(scope, threadId, claim.messageId);
    }
  }

  /**
   * Settles the answers of a page that are still open without a live run: that of an expired
   * lease, and any other not written for `staleMs` (left by a crash before leases existed).
   */
  async settleStale(scope: ChatScope, messages: Message[], staleMs: number): Promise<Message[]> {
    const open = messages.filter(
      (message) => message.status === 'streaming' || message.status === 'pending',
    );
    if (open.length === 0) return messages;
    const threadId = open[0]!.threadId;
    await this.settleAbandoned(scope, threadId);
    const lease = await this.#options.store.getRun(scope, threadId);
    const now = Date.now();
    return Promise.all(
      messages.map(async (message) => {
        if (!open.includes(message)) return message;
        const current = await this.#options.store.getMessage(scope, threadId, message.id);
        if (!current || (current.status !== 'streaming' && current.status !== 'pending')) {
          return current ?? message;
        }
        if (lease?.messageId === message.id) return current;
        if (now - Date.parse(current.updatedAt) < staleMs) return current;
        return (await this.#interrupt(scope, threadId, message.id)) ?? current;
      }),
    );
  }

  async #interrupt(scope: ChatScope, threadId: string, messageId: string): Promise<Message | null> {
    const { store, events } = this.#options;
    const current = await store.getMessage(scope, threadId, messageId);
    if (!current || (current.status !== 'streaming' && current.status !== 'pending'))
      return current;
    const settled = await store.updateMessage(scope, threadId, messageId, {
      status: 'failed',
      error: interrupted,
    });
    if (settled) {
      await events.record(scope, threadId, [
        { type: 'message-updated', message: settled },
        { type: 'run-finished', messageId, status: settled.status },
      ]);
    }
    return settled;
  }

  /** The stored answer of `messageId` once its run has ended, wherever it runs. */
  async finished(scope: ChatScope, threadId: string, messageId: string): Promise<Message | null> {
    const local = this.runs.get(threadId);
    if (local?.messageId === messageId) return local.done;
    const lease = await this.#options.store.getRun(scope, threadId);
    if (lease?.messageId === messageId) await this.#waitForEnd(scope, threadId, messageId, false);
    return this.#options.store.getMessage(scope, threadId, messageId);
  }

  idle(): Promise<void> {
    return this.runs.idle();
  }

  async close(): Promise<void> {
    this.runs.abortAll('shutdown' satisfies AbortReason);
    await this.runs.idle();
  }
}
