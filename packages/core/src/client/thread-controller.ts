import type { ChatBackend } from '../backend/chat-backend';
import { ConfabError, toConfabError } from '../errors/confab-error';
import type { MessagePage } from '../schemas/api';
import type { PartChunk } from '../schemas/chunk';
import type { Message } from '../schemas/message';
import type { Part } from '../schemas/part';
import type { RegenerateBody, SendMessageBody, UserPart } from '../schemas/requests';
import type { Thread } from '../schemas/thread';
import { applyPartChunk, isPartChunk, streamingIndex } from '../state/apply-chunk';
import {
  type Branch,
  branchBefore,
  lastIndexOf,
  placeMessage,
  removeMessage,
  type Versions,
  withNewestPage,
  withOlderPage,
} from '../state/branch';
import type { ParsedChunk } from '../stream/parse-chunk-stream';
import { Subscribable } from './subscribable';
import { syncScheduler, type UpdateScheduler } from './update-scheduler';

/** `ready`: idle. `submitted`: sent, waiting for the answer. `streaming`: the answer arrives. */
export type ThreadStatus = 'ready' | 'submitted' | 'streaming' | 'error';

export interface ThreadState {
  threadId: string;
  /**
   * The current branch of the thread as far as it is loaded, oldest to newest: the chain of
   * parents from the message shown last up to the oldest page loaded.
   */
  messages: Message[];
  /**
   * For each message shown that has other versions (an edited question, a regenerated answer):
   * the ids of all of them, itself included, oldest first. ‹ 2/3 › is the position of the
   * message's id in its list. A message with one version has no entry.
   */
  versions: Versions;
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
    versions: {},
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
  /**
   * The message this one follows. Default: the last message of the branch shown (or, before the
   * history is loaded, whatever the server's branch ends with). A parent higher up the branch
   * starts a new branch there, which is then the one shown.
   */
  parentId?: string | null;
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
  /** The thread was just created here: it has no history to load. */
  isNew?: boolean;
  /** Told when the controller gains its first listener (true) and loses its last (false). */
  onObservedChange?: (observed: boolean) => void;
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
  /** The history was loaded (or there is none: a thread created here). */
  #loaded: boolean;
  /** Counts loads and switches: the answer of one that another has overtaken is dropped. */
  #loads = 0;
  /** The last load failed: `retry()` loads again. */
  #loadFailed = false;
  /**
   * Messages created live beside the branch shown (another tab's edit or regeneration), held
   * until a `leaf-updated` says whether to show them. Cleared with every page received.
   */
  readonly #offBranch = new Map<string, Message>();
  /** Optimistic messages the server never stored (their send failed before it was accepted). */
  readonly #unstored = new Set<string>();
  readonly #onObservedChange: ((observed: boolean) => void) | undefined;
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
    this.#loaded = options.isNew ?? false;
    this.#onObservedChange = options.onObservedChange;
    this.#state = emptyThreadState(options.threadId);
  }

  getSnapshot = (): ThreadState => this.#state;

  /** An answer is being sent or streamed from here. */
  get isRunning(): boolean {
    return this.#run !== null;
  }

  protected override onSubscribe(): void {
    clearTimeout(this.#lingering);
    this.#onObservedChange?.(true);
    if (!this.#loaded && this.#loads === 0) void this.load();
    if (this.#live) this.#stopFollowing ??= this.follow();
  }

  protected override onUnsubscribe(): void {
    this.#onObservedChange?.(false);
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

  get #branch(): Branch {
    return { messages: this.#messages, versions: this.#state.versions };
  }

  /** Shows a branch (with `patch`), announcing it when it changed. */
  #setBranch(branch: Branch, patch: Partial<ThreadState> = {}) {
    this.#draft = null;
    this.#set({
      canRetry: this.#canRetry(branch.messages),
      ...patch,
      messages: branch.messages,
      versions: branch.versions,
    });
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
    const before = this.#branch;
    const branch = this.#placeChunk(before, chunk);
    if (branch !== before || Object.keys(patch).length > 0) this.#setBranch(branch, patch);
  }

  /** The branch after a chunk about messages or the current leaf (any other leaves it as is). */
  #placeChunk(branch: Branch, chunk: ParsedChunk['chunk']): Branch {
    switch (chunk.type) {
      case 'message-created':
      case 'message-updated': {
        const { message } = chunk;
        const placed = placeMessage(branch, message);
        if (lastIndexOf(placed.messages, message.id) < 0) {
          if (chunk.type === 'message-created' || this.#offBranch.has(message.id)) {
            this.#offBranch.set(message.id, message);
          }
        }
        return placed;
      }
      case 'message-deleted': {
        this.#offBranch.delete(chunk.messageId);
        const shown = lastIndexOf(branch.messages, chunk.messageId) >= 0;
        // The server's leaf moved up to the parent and on down its newest child: ask for it.
        if (shown) void this.load();
        return removeMessage(branch, chunk.messageId);
      }
      case 'leaf-updated': {
        // Another tab of the same user switched branches, edited or regenerated.
        if (lastIndexOf(branch.messages, chunk.messageId) >= 0) return branch;
        // Messages created here live (an edited question and its answer): shown without a fetch.
        const chain: Message[] = [];
        for (let at = this.#offBranch.get(chunk.messageId); at; ) {
          chain.unshift(at);
          at = at.parentId === null ? undefined : this.#offBranch.get(at.parentId);
        }
        const top = chain[0];
        const above = top?.parentId ?? null;
        if (top && (above === null || lastIndexOf(branch.messages, above) >= 0)) {
          let shown = branch;
          for (const [index, message] of chain.entries()) {
            this.#offBranch.delete(message.id);
            shown = placeMessage(shown, message, index === 0);
          }
          return shown;
        }
        void this.load();
        return branch;
      }
      default:
        return branch;
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
   * Loads the newest page of the current branch. Older messages already loaded stay when the page
   * continues them; what changed below them (another branch, a deleted message) is replaced.
   */
  async load(): Promise<void> {
    const load = ++this.#loads;
    if (!this.#loaded) this.#set({ isLoading: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, { limit: this.#pageSize });
      if (load === this.#loads) this.#receivePage(page);
    } catch (error) {
      if (load === this.#loads) {
        this.#loadFailed = true;
        this.#set({
          isLoading: false,
          error: toConfabError(error),
          status: this.#run ? this.#state.status : 'error',
          canRetry: true,
        });
      }
    }
  }

  /** Shows the first page of the branch the server now has for this caller. */
  #receivePage(page: MessagePage) {
    const before = this.#messages;
    const { branch, keptOlder } = withNewestPage(this.#branch, page);
    if (!keptOlder) this.#cursor = page.nextCursor;
    let messages = branch.messages;
    // Keep what continues the page that it does not have yet: a send made while it was fetched,
    // the answer streaming below it.
    for (const message of before) {
      if (lastIndexOf(messages, message.id) >= 0) continue;
      if ((messages.at(-1)?.id ?? null) === message.parentId) messages = [...messages, message];
    }
    this.#loaded = true;
    const recovered = this.#loadFailed;
    this.#loadFailed = false;
    this.#offBranch.clear();
    this.#setBranch(
      { messages, versions: branch.versions },
      {
        hasOlder: this.#cursor !== null,
        isLoading: false,
        // The error of the load that failed goes with it.
        ...(recovered && !this.#run ? { error: null, status: 'ready' as const } : {}),
      },
    );
  }

  /** Loads the page before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    const cursor = this.#cursor;
    if (!cursor || this.#state.isLoadingOlder) return;
    this.#set({ isLoadingOlder: true });
    try {
      const page = await this.#backend.listMessages(this.threadId, {
        limit: this.#pageSize,
        before: cursor,
      });
      // A branch switched meanwhile pages from elsewhere.
      if (this.#cursor !== cursor) return this.#set({ isLoadingOlder: false });
      this.#cursor = page.nextCursor;
      this.#setBranch(withOlderPage(this.#branch, page), {
        hasOlder: page.nextCursor !== null,
        isLoadingOlder: false,
      });
    } catch (error) {
      this.#set({ isLoadingOlder: false, error: toConfabError(error) });
    }
  }

  /**
   * Shows the branch through another version of a turn (an id of `versions`): that version and
   * its newest continuation. The choice is kept on the server, so a reload and the caller's
   * other tabs show the same branch.
   */
  async selectVersion(messageId: string): Promise<void> {
    if (lastIndexOf(this.#messages, messageId) >= 0) return;
    if (this.#run) {
      throw new ConfabError('generation_in_progress', 'Wait for the answer or stop it first.');
    }
    const load = ++this.#loads;
    try {
      const page = await this.#backend.setLeaf(this.threadId, { messageId });
      if (load === this.#loads) this.#receivePage(page);
    } catch (error) {
      if (load === this.#loads) this.#set({ error: toConfabError(error) });
    }
  }

  /**
   * Deletes a message and every message below it (an answer being generated there is stopped).
   * The branch shown is cut at once; on failure it comes back, with the error in the state.
   */
  async deleteMessage(messageId: string): Promise<void> {
    const before = this.#branch;
    const shown = lastIndexOf(before.messages, messageId) >= 0;
    this.#setBranch(removeMessage(before, messageId));
    try {
      await this.#backend.deleteMessage(this.threadId, messageId);
    } catch (error) {
      this.#setBranch(before, { error: toConfabError(error) });
      return;
    }
    // The caller's leaf moved to the parent and on down its newest child: show that branch.
    if (shown) await this.load();
  }

  /**
   * Sends a message and streams the answer into the state. The user's message appears at once
   * and is replaced by the stored one when the server confirms it. Resolves with the answer
   * (or null when the send failed; the error is then in the state).
   */
  async send(input: string | SendInput): Promise<Message | null> {
    const request: SendInput = typeof input === 'string' ? { text: input } : input;
    this.#dropUnstored();
    const parentId =
      request.parentId !== undefined
        ? request.parentId
        : this.#loaded
          ? (this.#messages.at(-1)?.id ?? null)
          : undefined;
    const body: SendMessageBody = {
      id: request.id ?? crypto.randomUUID(),
      ...(parentId !== undefined ? { parentId } : {}),
      ...(request.parts ? { parts: request.parts } : { text: request.text ?? '' }),
      ...(request.model ? { model: request.model } : {}),
      ...(request.metadata ? { metadata: request.metadata } : {}),
    };
    return this.#stream({ kind: 'send', body });
  }

  /**
   * Sends a new version of a question of the branch: a message beside it (the same parent),
   * answered, and shown in its place from there on. The earlier version and its replies are
   * kept, one `selectVersion` away. Resolves as `send` does.
   */
  async edit(messageId: string, input: string | SendInput): Promise<Message | null> {
    const message = this.#messages.find((item) => item.id === messageId);
    if (!message || message.role !== 'user') {
      throw new ConfabError('not_found', 'Only a question of the branch shown can be edited.');
    }
    const request: SendInput = typeof input === 'string' ? { text: input } : input;
    return this.send({ ...request, parentId: message.parentId });
  }

  /**
   * Answers the question of any answer of the branch again, as a new version beside it that is
   * shown from there on (what followed the old answer stays with it, one `selectVersion`
   * away). Resolves with the new answer (or null when it failed; the error is then in the state).
   */
  async regenerate(messageId: string, input: RegenerateInput = {}): Promise<Message | null> {
    const body: RegenerateBody = {
      id: input.id ?? crypto.randomUUID(),
      ...(input.model ? { model: input.model } : {}),
    };
    return this.#stream({ kind: 'regenerate', messageId, body });
  }

  /**
   * Makes again what failed: the history's load, a send or regeneration the server never
   * accepted, else the latest answer when it failed (regenerated). Resolves with the answer, or null when there was
   * nothing to retry or it failed again.
   */
  async retry(): Promise<Message | null> {
    if (this.#run) return null;
    if (this.#loadFailed) {
      await this.load();
      return null;
    }
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
    return this.#loadFailed || this.#unaccepted !== null || this.#failedAnswer(messages) !== null;
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
    if (optimistic) this.#unstored.delete(optimistic.id);
    // The branch as it was, to show again if the server never takes the request.
    const before = this.#branch;
    let branch = before;
    if (optimistic) {
      const placed = placeMessage(branch, optimistic, true);
      branch =
        lastIndexOf(placed.messages, optimistic.id) >= 0
          ? placed
          : { ...branch, messages: [...branch.messages, optimistic] };
    } else if (request.kind === 'regenerate') {
      // The new answer takes the old one's place at once; the old one stays a version.
      const index = lastIndexOf(branch.messages, request.messageId);
      if (index >= 0) branch = branchBefore(branch, index, request.body.id);
    }
    this.#setBranch(branch, { status: 'submitted', error: null, canRetry: false });
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
                this.#setBranch(removeMessage(this.#branch, optimistic.id));
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
      let shown = this.#branch;
      if (!accepted && optimistic) {
        this.#unstored.add(optimistic.id);
        shown = placeMessage(shown, {
          ...optimistic,
          status: 'failed',
          error: { code: error.code, message: error.message },
        });
      } else if (!accepted) {
        shown = before;
      }
      const { messages } = shown;
      this.#set({
        messages,
        versions: shown.versions,
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

  /**
   * Takes the questions whose send failed before the server stored them off the branch: a new
   * send moves on from them (it cannot follow a message the server does not have).
   */
  #dropUnstored() {
    if (this.#unstored.size === 0) return;
    let branch = this.#branch;
    for (const id of this.#unstored) branch = removeMessage(branch, id);
    this.#unstored.clear();
    this.#unaccepted = null;
    this.#setBranch(branch);
  }

  #optimisticMessage(body: SendMessageBody): Message {
    const parentId =
      body.parentId !== undefined ? body.parentId : (this.#messages.at(-1)?.id ?? null);
    const parent = parentId === null ? -1 : lastIndexOf(this.#messages, parentId);
    const previous = parent < 0 ? undefined : this.#messages[parent];
    const time = new Date().toISOString();
    const parts: Part[] = body.parts ?? [{ type: 'text', text: body.text ?? '' }];
    return {
      id: body.id!,
      threadId: this.threadId,
      parentId,
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
