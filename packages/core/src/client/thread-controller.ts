import type { ChatBackend } from '../backend/chat-backend';
import { ConfabError, toConfabError } from '../errors/confab-error';
import type { PartChunk } from '../schemas/chunk';
import type { Message } from '../schemas/message';
import type { Part } from '../schemas/part';
import type { RegenerateBody, SendMessageBody, UserPart } from '../schemas/requests';
import type { Thread } from '../schemas/thread';
import {
  applyChunk,
  applyPartChunk,
  isPartChunk,
  streamingIndex,
  upsertMessage,
} from '../state/apply-chunk';
import { currentBranch } from '../state/branch';
import type { ParsedChunk } from '../stream/parse-chunk-stream';
import { Subscribable } from './subscribable';
import { syncScheduler, type UpdateScheduler } from './update-scheduler';

/** `ready`: idle. `submitted`: sent, waiting for the answer. `streaming`: the answer arrives. */
export type ThreadStatus = 'ready' | 'submitted' | 'streaming' | 'error';

export interface ThreadState {
  threadId: string;
  /** Loaded history and live messages, oldest to newest. */
  messages: Message[];
  status: ThreadStatus;
  error: ConfabError | null;
  /** Older pages exist on the server. */
  hasOlder: boolean;
  isLoading: boolean;
  isLoadingOlder: boolean;
  /**
   * The stream of an answer (or the thread's events) dropped and is being resumed: what is shown
   * may be behind until it is back.
   */
  isReconnecting: boolean;
  /**
   * `retry()` can do something: a send (or a regeneration) failed before the server accepted
   * it, or the latest answer failed.
   */
  canRetry: boolean;
}

/** A thread's state before anything is loaded or sent. */
export function emptyThreadState(threadId: string): ThreadState {
  return {
    threadId,
    messages: [],
    status: 'ready',
    error: null,
    hasOlder: false,
    isLoading: false,
    isLoadingOlder: false,
    isReconnecting: false,
    canRetry: false,
  };
}

export interface SendInput {
  text?: string;
  parts?: UserPart[];
  model?: string;
  metadata?: SendMessageBody['metadata'];
  /** Defaults to a new random id: the send is idempotent, so a retry cannot duplicate it. */
  id?: string;
}

export interface RegenerateInput {
  /** The model to answer with; default the thread's, else the one the question was sent with. */
  model?: string;
  /** The new answer's id; defaults to a new random id, which makes a retry safe. */
  id?: string;
}

/** A request that starts a run: a new message, or another answer to an earlier one. */
type RunRequest =
  | { kind: 'send'; body: SendMessageBody }
  | { kind: 'regenerate'; messageId: string; body: RegenerateBody };

export interface ThreadControllerOptions {
  backend: ChatBackend;
  threadId: string;
  /** Messages per page when loading history. Default 50. */
  pageSize?: number;
  /**
   * When listeners hear of streamed text. Deltas that arrive before the scheduled flush are
   * applied together and announced once; every other change is announced at once. Default:
   * synchronously, after each batch of deltas that arrived together (one network read). UI
   * bindings pass `frameScheduler`.
   */
  scheduler?: UpdateScheduler;
  /** Called with the thread whenever a stream reports it changed (a new title, say). */
  onThreadUpdated?: (thread: Thread) => void;
  /** Follow the thread's events while the controller has listeners (see `follow`). */
  live?: boolean;
  /** Called when a stream reports the thread was deleted. */
  onThreadDeleted?: (threadId: string) => void;
  /** Waits between attempts to resume a dropped stream: the nth attempt waits `retryDelay(n)` ms. */
  retryDelay?: (attempt: number) => number;
  /** Attempts to resume a dropped answer stream before it counts as failed. Default 8. */
  resumeAttempts?: number;
}

const defaultRetryDelay = (attempt: number) => Math.min(250 * 2 ** attempt, 5000);

/**
 * The live state of one thread: its history, the answer being streamed, status and error.
 * Framework-neutral; bindings read it through `subscribe` and `getSnapshot`.
 */
export class ThreadController extends Subscribable {
  readonly threadId: string;
  readonly #backend: ChatBackend;
  readonly #pageSize: number;
  #state: ThreadState;
  #cursor: string | null = null;
  /** The send or regeneration in progress here: its request, and once known, its answer. */
  #run: {
    controller: AbortController;
    request: RunRequest;
    assistantId: string | null;
    finished: boolean;
  } | null = null;
  /** The logged events applied, and per run the position of the last live chunk applied. */
  readonly #seen = new Set<number>();
  readonly #positions = new Map<number, number>();
  /** The id of the latest event applied: where a resumed stream starts. */
  #lastEventId: string | undefined;
  #following: AbortController | null = null;
  /** The answer being generated in the thread by another client, as its events tell. */
  #remoteRun: string | null = null;
  #followers = 0;
  readonly #onThreadDeleted: ((threadId: string) => void) | undefined;
  readonly #retryDelay: (attempt: number) => number;
  readonly #resumeAttempts: number;
  readonly #live: boolean;
  #stopFollowing: (() => void) | null = null;
  #lingering: ReturnType<typeof setTimeout> | undefined;
  /** The request the server never accepted, which `retry()` makes again. */
  #unaccepted: RunRequest | null = null;
  readonly #scheduler: UpdateScheduler;
  readonly #onThreadUpdated: ((thread: Thread) => void) | undefined;
  /** Messages with deltas not yet announced; copied from the snapshot once per flush. */
  #draft: Message[] | null = null;
  #flushScheduled = false;
  /** While a batch is applied: streamed text is announced at its end. */
  #receiving = false;

  constructor(options: ThreadControllerOptions) {
    super();
    this.threadId = options.threadId;
    this.#backend = options.backend;
    this.#pageSize = options.pageSize ?? 50;
    this.#scheduler = options.scheduler ?? syncScheduler;
    this.#onThreadUpdated = options.onThreadUpdated;
    this.#onThreadDeleted = options.onThreadDeleted;
    this.#retryDelay = options.retryDelay ?? defaultRetryDelay;
    this.#resumeAttempts = options.resumeAttempts ?? 8;
    this.#live = options.live ?? false;
    this.#state = emptyThreadState(options.threadId);
  }

  getSnapshot = (): ThreadState => this.#state;

  protected override onSubscribe(): void {
    clearTimeout(this.#lingering);
    if (this.#live) this.#stopFollowing ??= this.follow();
  }

  protected override onUnsubscribe(): void {
    // A view that re-mounts at once (React's strict mode, a route change) keeps the stream.
    this.#lingering = setTimeout(() => {
      this.#stopFollowing?.();
      this.#stopFollowing = null;
    }, 1000);
  }

  /** The newest messages, including deltas not yet announced. */
  get #messages(): Message[] {
    return this.#draft ?? this.#state.messages;
  }

  #set(patch: Partial<ThreadState>) {
    const messages = this.#draft;
    this.#draft = null;
    this.#state = { ...this.#state, ...(messages ? { messages } : {}), ...patch };
    this.notify();
  }

  /**
   * Applies a part chunk to the draft and announces it with the next scheduled flush, or at the
   * end of the batch being received. The draft is this controller's own until it is announced,
   * so it changes in place: a delta costs the same with a thousand messages loaded as with none.
   */
  #applyPart(chunk: PartChunk) {
    const messages = this.#messages;
    const index = streamingIndex(messages, 'messageId' in chunk ? chunk.messageId : undefined);
    if (index < 0) return;
    const message = messages[index]!;
    const parts = applyPartChunk(message.parts, chunk);
    if (parts === message.parts) return;
    const draft = this.#draft ?? messages.slice();
    draft[index] = { ...message, parts };
    this.#draft = draft;
    if (!this.#receiving) this.#announceDraft();
  }

  #announceDraft() {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#scheduler(() => {
      this.#flushScheduled = false;
      if (this.#draft) this.#set({});
    });
  }

  /**
   * Whether an event is new here: every stream of the thread (a send's, a follow's, a resumed
   * one) goes through this, so an event that arrives twice is applied once.
   */
  #isNew(id: string | undefined): boolean {
    if (id === undefined) return true;
    const dot = id.indexOf('.');
    if (dot < 0) {
      const seq = Number(id);
      if (this.#seen.has(seq)) return false;
      this.#seen.add(seq);
    } else {
      const run = Number(id.slice(0, dot));
      const position = Number(id.slice(dot + 1));
      if (position <= (this.#positions.get(run) ?? -1)) return false;
      this.#positions.set(run, position);
    }
    this.#lastEventId = id;
    return true;
  }

  /**
   * Applies a batch of events (those that arrived together) with `receive`, announcing the
   * streamed text once for all of them.
   */
  #receiveBatch(batch: ParsedChunk[], receive: (event: ParsedChunk) => boolean): boolean {
    this.#receiving = true;
    try {
      for (const event of batch) if (!receive(event)) return false;
      return true;
    } finally {
      this.#receiving = false;
      if (this.#draft) this.#announceDraft();
    }
  }

  /** Applies one event of any stream of the thread to the state. */
  #receive({ id, chunk }: ParsedChunk): void {
    if (!this.#isNew(id)) return;
    if (isPartChunk(chunk)) {
      this.#applyPart(chunk);
      return;
    }
    let patch: Partial<ThreadState> = {};
    // The answer of the run in progress here may come on any stream (a follow can be first).
    const run = this.#run;
    if (
      run &&
      run.assistantId === null &&
      (chunk.type === 'message-created' || chunk.type === 'message-updated') &&
      answers(run.request, chunk.message)
    ) {
      run.assistantId = chunk.message.id;
      if (chunk.message.status === 'streaming') patch = { status: 'streaming' };
    }
    const ours = (messageId: string | undefined) =>
      messageId !== undefined && this.#run?.assistantId === messageId;
    // An answer generated elsewhere (another tab, device or member): streaming here too, so the
    // UI shows it running and offers Stop, until it ends.
    if (
      (chunk.type === 'message-created' || chunk.type === 'message-updated') &&
      chunk.message.role === 'assistant' &&
      !ours(chunk.message.id)
    ) {
      if (chunk.message.status === 'streaming') {
        this.#remoteRun = chunk.message.id;
        if (!this.#run) patch = { status: 'streaming' };
      } else if (this.#remoteRun === chunk.message.id) {
        this.#remoteRun = null;
        if (!this.#run) patch = { status: 'ready' };
      }
    }
    switch (chunk.type) {
      case 'run-started':
        if (id !== undefined) this.#positions.set(Number(id), 0);
        if (ours(chunk.messageId)) {
          patch = { status: 'streaming' };
        } else {
          this.#remoteRun = chunk.messageId;
          if (!this.#run) patch = { status: 'streaming' };
        }
        break;
      case 'run-finished':
        if (ours(chunk.messageId)) this.#run!.finished = true;
        if (this.#remoteRun === chunk.messageId) {
          this.#remoteRun = null;
          if (!this.#run) patch = { status: 'ready' };
        }
        break;
      case 'thread-updated':
        this.#onThreadUpdated?.(chunk.thread);
        break;
      case 'thread-deleted':
        this.#onThreadDeleted?.(chunk.threadId);
        break;
      case 'resync':
        void this.load();
        break;
      case 'error':
        // Another client's failure shows on its message, not as this client's error.
        if (chunk.messageId === undefined || ours(chunk.messageId)) {
          patch = { error: ConfabError.fromBody({ error: chunk.error }) };
        }
        break;
      default:
        break;
    }
    let messages = applyChunk(this.#messages, chunk);
    // A regenerated answer takes the place of the one it answers again.
    if (chunk.type === 'message-created' && chunk.message.role === 'assistant') {
      messages = currentBranch(messages);
    }
    if (messages !== this.#messages || Object.keys(patch).length > 0) {
      this.#draft = null;
      this.#set({ ...patch, messages, canRetry: this.#canRetry(messages) });
    }
  }

  /**
   * Follows the thread's events live (another tab's sends, a second device, an answer that was
   * already streaming when the thread was opened), resuming after drops, until the returned
   * function is called or the thread is deleted. Following twice shares one stream.
   */
  follow(): () => void {
    if (!this.#following) {
      const controller = new AbortController();
      this.#following = controller;
      void this.#followLoop(controller.signal);
    }
    this.#followers += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#followers -= 1;
      if (this.#followers === 0) {
        this.#following?.abort();
        this.#following = null;
        if (this.#state.isReconnecting && !this.#run) this.#set({ isReconnecting: false });
      }
    };
  }

  async #followLoop(signal: AbortSignal) {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const events = await this.#backend.followThread(this.threadId, {
          after: this.#lastEventId,
          signal,
        });
        if (this.#state.isReconnecting && !this.#run) this.#set({ isReconnecting: false });
        attempt = 0;
        for await (const batch of events) {
          const deleted = !this.#receiveBatch(batch, (event) => {
            this.#receive(event);
            return event.chunk.type !== 'thread-deleted';
          });
          if (deleted) return;
        }
      } catch (cause) {
        const error = toConfabError(cause);
        if (signal.aborted || error.code === 'aborted') return;
        if (error.status >= 400 && error.status < 500 && error.code !== 'rate_limited') return;
      }
      if (signal.aborted) return;
      // A stream that ended or dropped: follow again after the last event applied.
      if (!this.#run) this.#set({ isReconnecting: true });
      await sleep(this.#retryDelay(attempt++), signal);
    }
  }

  /**
   * Merges history fetched elsewhere (a query cache, say) with what the controller holds: the
   * newer copy of each message wins, and messages sent or streamed here are kept.
   */
  receiveHistory(history: Message[], options: { hasOlder: boolean }): void {
    let messages = history;
    const known = new Map(history.map((message) => [message.id, message]));
    for (const message of this.#messages) {
      const fetched = known.get(message.id);
      if (!fetched || this.#isNewer(message, fetched)) {
        messages = upsertMessage(messages, message);
      }
    }
    this.#set({
      messages: currentBranch(messages),
      hasOlder: options.hasOlder,
      isLoading: false,
      canRetry: this.#canRetry(messages),
    });
  }

  /** Loads the newest page of history, replacing what is loaded. */
  async load(): Promise<void> {
    this.#set({ isLoading: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, { limit: this.#pageSize });
      this.#cursor = page.nextCursor;
      let messages = page.items;
      // Keep messages of a run in progress that the page does not have yet.
      for (const message of this.#messages) {
        if (message.status === 'pending' || message.status === 'streaming') {
          messages = upsertMessage(messages, message);
        }
      }
      this.#set({
        messages: currentBranch(messages),
        hasOlder: page.nextCursor !== null,
        isLoading: false,
        canRetry: this.#canRetry(messages),
      });
    } catch (error) {
      this.#set({ isLoading: false, error: toConfabError(error), status: 'error' });
    }
  }

  /** Loads the page before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    if (!this.#cursor || this.#state.isLoadingOlder) return;
    this.#set({ isLoadingOlder: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, {
        limit: this.#pageSize,
        before: this.#cursor,
      });
      this.#cursor = page.nextCursor;
      const known = new Set(this.#messages.map((message) => message.id));
      const older = page.items.filter((message) => !known.has(message.id));
      this.#set({
        messages: currentBranch([...older, ...this.#messages]),
        hasOlder: page.nextCursor !== null,
        isLoadingOlder: false,
      });
    } catch (error) {
      this.#set({ isLoadingOlder: false, error: toConfabError(error) });
    }
  }

  /**
   * Sends a message and streams the answer into the state. The user's message appears at once
   * and is replaced by the stored one when the server confirms it. Resolves with the answer
   * (or null when the send failed; the error is then in the state).
   */
  async send(input: string | SendInput): Promise<Message | null> {
    const request: SendInput = typeof input === 'string' ? { text: input } : input;
    const body: SendMessageBody = {
      id: request.id ?? crypto.randomUUID(),
      ...(request.parts ? { parts: request.parts } : { text: request.text ?? '' }),
      ...(request.model ? { model: request.model } : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
    };
    return this.#stream({ kind: 'send', body });
  }

  /**
   * Answers the question of an assistant message again (the latest answer of the thread), as a
   * new message that takes the place of the old one in `messages`; the server keeps the old one.
   * Resolves with the new answer (or null when it failed; the error is then in the state).
   */
  async regenerate(messageId: string, input: RegenerateInput = {}): Promise<Message | null> {
    const body: RegenerateBody = {
      id: input.id ?? crypto.randomUUID(),
      ...(input.model ? { model: input.model } : {}),
    };
    return this.#stream({ kind: 'regenerate', messageId, body });
  }

  /**
   * Makes again what failed: a send or regeneration the server never accepted, else the latest
   * answer when it failed (regenerated). Resolves with the answer, or null when there was
   * nothing to retry or it failed again.
   */
  async retry(): Promise<Message | null> {
    if (this.#run) return null;
    if (this.#unaccepted) return this.#stream(this.#unaccepted);
    const failed = this.#failedAnswer(this.#messages);
    return failed ? this.regenerate(failed.id) : null;
  }

  /** The latest answer when it failed or was interrupted, which `retry()` regenerates. */
  #failedAnswer(messages: Message[]): Message | null {
    const latest = messages.at(-1);
    const failed = latest?.role === 'assistant' && latest.status === 'failed';
    return failed && latest.parentId !== null ? latest : null;
  }

  #canRetry(messages: Message[]): boolean {
    return this.#unaccepted !== null || this.#failedAnswer(messages) !== null;
  }

  async #stream(request: RunRequest): Promise<Message | null> {
    if (this.#run) {
      throw new ConfabError('generation_in_progress', 'Wait for the answer or stop it first.');
    }
    const controller = new AbortController();
    const run = {
      controller,
      request,
      assistantId: null as string | null,
      finished: false,
    };
    this.#run = run;
    this.#unaccepted = null;
    const optimistic = request.kind === 'send' ? this.#optimisticMessage(request.body) : null;
    this.#set({
      ...(optimistic ? { messages: upsertMessage(this.#messages, optimistic) } : {}),
      status: 'submitted',
      error: null,
      canRetry: false,
    });
    const signal = controller.signal;
    try {
      const start = () =>
        request.kind === 'send'
          ? this.#backend.sendMessage(this.threadId, request.body, { signal })
          : this.#backend.regenerateMessage(this.threadId, request.messageId, request.body, {
              signal,
            });
      let events: AsyncIterable<ParsedChunk[]> | null = await start();
      let attempt = 0;
      while (!run.finished) {
        try {
          // After a drop: the thread's events after the last one applied, until the run ends;
          // before the answer started, the same request again (its id makes it idempotent).
          events ??= run.assistantId
            ? await this.#backend.followThread(this.threadId, {
                after: this.#lastEventId,
                signal,
              })
            : await start();
          if (this.#state.isReconnecting) this.#set({ isReconnecting: false });
          for await (const batch of events) {
            const going = this.#receiveBatch(batch, (event) => {
              const { chunk } = event;
              if (
                optimistic &&
                chunk.type === 'message-created' &&
                chunk.message.id !== optimistic.id &&
                chunk.message.role === 'user'
              ) {
                this.#set({ messages: this.#messages.filter((item) => item.id !== optimistic.id) });
              }
              this.#receive(event);
              return !run.finished;
            });
            if (!going) break;
          }
          // A stream of this run ends with it; one that ends sooner is replayed history.
          break;
        } catch (cause) {
          const error = toConfabError(cause);
          if (error.code !== 'network_error' || signal.aborted) throw cause;
          if (attempt >= this.#resumeAttempts) throw cause;
          this.#set({ isReconnecting: true });
          await sleep(this.#retryDelay(attempt++), signal);
          events = null;
        }
      }
      const answer = run.assistantId
        ? (this.#messages.find((message) => message.id === run.assistantId) ?? null)
        : null;
      const failure = answer?.status === 'failed' ? answer.error : null;
      const error =
        this.#state.error ?? (failure ? ConfabError.fromBody({ error: failure }) : null);
      this.#set({
        status: error ? 'error' : 'ready',
        error,
        isReconnecting: false,
        canRetry: error !== null && this.#canRetry(this.#messages),
      });
      return answer;
    } catch (cause) {
      const error = toConfabError(cause);
      const stopped = error.code === 'aborted';
      // Accepted: the server stored the question (a send) or started the answer.
      const accepted = optimistic
        ? this.#messages.some(
            (message) => message.id === optimistic.id && message.status !== 'pending',
          )
        : run.assistantId !== null;
      if (!accepted) this.#unaccepted = request;
      const messages =
        accepted || !optimistic
          ? this.#messages
          : upsertMessage(this.#messages, {
              ...optimistic,
              status: 'failed',
              error: { code: error.code, message: error.message },
            });
      this.#set({
        messages,
        status: stopped ? 'ready' : 'error',
        error: stopped ? null : error,
        isReconnecting: false,
        canRetry: this.#canRetry(messages),
      });
      return run.assistantId
        ? (this.#messages.find((message) => message.id === run.assistantId) ?? null)
        : null;
    } finally {
      this.#run = null;
    }
  }

  /**
   * Stops the answer being generated. The server keeps the partial text as `cancelled` and ends
   * the stream; if the server cannot be told, the local stream is dropped.
   */
  async stop(): Promise<void> {
    const run = this.#run;
    if (!run) {
      // An answer another client started: the server stops it wherever it runs.
      const remote = this.#remoteRun;
      if (remote) {
        await this.#backend.stopGeneration(this.threadId, { messageId: remote }).catch(() => {});
      }
      return;
    }
    try {
      const result = await this.#backend.stopGeneration(
        this.threadId,
        run.assistantId ? { messageId: run.assistantId } : {},
      );
      if (!result.stopped) run.controller.abort();
    } catch {
      run.controller.abort();
    }
  }

  clearError(): void {
    if (this.#state.error)
      this.#set({ error: null, status: this.#run ? this.#state.status : 'ready' });
  }

  /** Drops the local streams, if any. The server still finishes and stores the answer. */
  dispose(): void {
    this.#run?.controller.abort();
    this.#following?.abort();
    this.#following = null;
    this.#followers = 0;
    this.#stopFollowing = null;
    clearTimeout(this.#lingering);
  }

  /** Whether the controller's copy of a message is later than a fetched copy of it. */
  #isNewer(local: Message, fetched: Message): boolean {
    const localSettled = settled.has(local.status);
    if (localSettled !== settled.has(fetched.status)) return localSettled;
    if (!localSettled) return this.#run !== null || this.#following !== null;
    return local.updatedAt > fetched.updatedAt;
  }

  #optimisticMessage(body: SendMessageBody): Message {
    const previous = this.#messages.at(-1);
    const time = new Date().toISOString();
    const parts: Part[] = body.parts ?? [{ type: 'text', text: body.text ?? '' }];
    return {
      id: body.id!,
      threadId: this.threadId,
      parentId: previous?.id ?? null,
      role: 'user',
      authorId: null,
      parts,
      status: 'pending',
      model: body.model ?? null,
      usage: null,
      error: null,
      sequence: previous ? previous.sequence + 1 : 0,
      metadata: body.metadata ?? {},
      createdAt: time,
      updatedAt: time,
    };
  }
}

const settled = /* @__PURE__ */ new Set<Message['status']>(['complete', 'failed', 'cancelled']);

/** Whether a message is the answer a request asked for (a replayed stream may start with it). */
function answers(request: RunRequest, message: Message): boolean {
  if (message.role !== 'assistant') return false;
  return request.kind === 'send'
    ? message.parentId === request.body.id
    : message.id === request.body.id;
}

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
