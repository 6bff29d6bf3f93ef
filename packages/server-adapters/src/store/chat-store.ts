import type {
  ErrorDetail,
  Message,
  MessagePage,
  MessageStatus,
  Metadata,
  Page,
  Part,
  Role,
  StreamChunk,
  Thread,
  Usage,
} from '@confab/core';

/** Who a store call acts for. Every query is limited to what this caller may see. */
export interface ChatScope {
  userId: string;
  /** The verified token claims, for stores that hand them to the database (row-level security). */
  claims?: Record<string, unknown>;
}

export interface NewThread {
  id: string;
  title: string | null;
  model: string | null;
  metadata: Metadata;
}

export interface ThreadPatch {
  title?: string | null;
  model?: string | null;
  metadata?: Metadata;
  archived?: boolean;
}

export interface NewMessage {
  id: string;
  parentId: string | null;
  role: Role;
  authorId: string | null;
  parts: Part[];
  status: MessageStatus;
  model: string | null;
  metadata: Metadata;
}

export interface MessagePatch {
  parts?: Part[];
  status?: MessageStatus;
  model?: string | null;
  usage?: Usage | null;
  error?: ErrorDetail | null;
}

export interface ListThreadsOptions {
  limit: number;
  cursor?: string;
  archived?: boolean;
}

export interface ListMessagesOptions {
  limit: number;
  /** Cursor from a previous page: the page continues up the same branch, above that page. */
  before?: string;
  /**
   * The message the branch ends at, exactly. Default: the caller's current leaf (`setLeaf`)
   * followed down its newest children, or, when the caller has chosen none, the thread's newest
   * message.
   */
  leafId?: string;
}

/** A chunk kept in a thread's event log, with its place there. */
export interface LoggedChunk {
  seq: number;
  chunk: StreamChunk;
}

export interface ListEventsOptions {
  /** The sequence number of the last event the caller has: the page starts after it. */
  after: number;
  limit: number;
}

export interface EventLogPage {
  items: LoggedChunk[];
  /**
   * Some events after `after` are no longer kept (the log keeps the latest
   * `EVENT_LOG_LENGTH` of a thread): a caller that followed the thread must load it again.
   */
  truncated: boolean;
  /** The sequence number of the thread's latest event (0 before any). */
  lastSeq: number;
}

/** What a run writes while its answer streams: see `ChatStore.saveRunProgress`. */
export interface RunProgress {
  /** The answer's parts so far. */
  parts?: Part[];
  /** Extends the run's lease to this time (epoch milliseconds), as `renewRun` does. */
  leaseExpiresAt?: number;
}

/** The thread's one run: which answer is being generated, until when, and whether to stop. */
export interface RunLease {
  messageId: string;
  /** Epoch milliseconds: past this, the holder is taken for dead and the lease is free. */
  expiresAt: number;
  stopRequested: boolean;
}

/** How many of a thread's latest events its log keeps. */
export const EVENT_LOG_LENGTH = 1000;

/**
 * Where threads and messages live. Every method is scoped to the caller: a thread the caller may
 * not see behaves exactly like one that does not exist (null, false or `not_found`).
 * Implementations pass the shared conformance suite.
 */
export interface ChatStore {
  /** Most recently active first. */
  listThreads(scope: ChatScope, options: ListThreadsOptions): Promise<Page<Thread>>;
  /** Rejects with `conflict` when the id is taken. */
  createThread(scope: ChatScope, input: NewThread): Promise<Thread>;
  getThread(scope: ChatScope, threadId: string): Promise<Thread | null>;
  updateThread(scope: ChatScope, threadId: string, patch: ThreadPatch): Promise<Thread | null>;
  /** Deletes the thread and its messages. */
  deleteThread(scope: ChatScope, threadId: string): Promise<boolean>;
  /**
   * A page of one branch of the thread's tree, walked up the parents from its leaf: the page
   * nearest the leaf first; within a page, oldest to newest. Index-backed: the cost is the page's,
   * whatever the size of the thread. Null when the thread is not visible; an empty page when
   * `leafId` or the cursor's message is not in the thread.
   */
  listMessages(
    scope: ChatScope,
    threadId: string,
    options: ListMessagesOptions,
  ): Promise<MessagePage | null>;
  /**
   * Every message of the thread, every version of every turn, in sequence order from after
   * `afterSequence`, `limit` at a time: for export and copies, through the (thread, sequence)
   * index. Null when the thread is not visible.
   */
  scanMessages(
    scope: ChatScope,
    threadId: string,
    options: { afterSequence?: number; limit: number },
  ): Promise<Message[] | null>;
  getMessage(scope: ChatScope, threadId: string, messageId: string): Promise<Message | null>;
  /**
   * The messages whose parent is `parentId` (null: the thread's first turns), oldest first: the
   * answers (or versions) of a turn.
   */
  listChildren(scope: ChatScope, threadId: string, parentId: string | null): Promise<Message[]>;
  /**
   * Makes `messageId` the caller's current leaf of the thread: where `listMessages` starts when
   * given no `leafId` (followed down its newest children). Kept per caller, so that members of a
   * shared thread each keep their own. Resolves with false when the thread is not visible or the
   * message is not in it.
   */
  setLeaf(scope: ChatScope, threadId: string, messageId: string): Promise<boolean>;
  /**
   * Deletes a message and every message below it (rows are removed, not kept as tombstones). A
   * current leaf inside the removed subtree moves to the removed message's parent. Resolves with
   * how many messages were removed: 0 when the thread is not visible or the message not in it.
   */
  deleteMessage(scope: ChatScope, threadId: string, messageId: string): Promise<number>;
  /**
   * A new thread of the caller's holding a copy of the branch that ends at `messageId`, with the
   * same message ids, numbered from 0; copies of answers left open are cancelled. The copy runs in
   * the database, in one statement, whatever the branch's length. Null when the source thread is
   * not visible or the message is not in it; rejects with `conflict` when `input.id` is taken.
   */
  forkThread(
    scope: ChatScope,
    threadId: string,
    messageId: string,
    input: NewThread,
  ): Promise<Thread | null>;
  /**
   * Stores a message at the end of the thread, giving it the next sequence number and marking the
   * thread active. Rejects with `not_found` for an invisible thread, `conflict` for a taken id.
   */
  appendMessage(scope: ChatScope, threadId: string, input: NewMessage): Promise<Message>;
  updateMessage(
    scope: ChatScope,
    threadId: string,
    messageId: string,
    patch: MessagePatch,
  ): Promise<Message | null>;
  /**
   * Appends durable chunks to the thread's event log, numbering them after its latest, and drops
   * events older than the latest `EVENT_LOG_LENGTH`. Resolves with their sequence numbers; rejects
   * with `not_found` for an invisible thread.
   */
  appendEvents(scope: ChatScope, threadId: string, chunks: StreamChunk[]): Promise<number[]>;
  /** Logged events after `options.after`, oldest first. Null when the thread is not visible. */
  listEvents(
    scope: ChatScope,
    threadId: string,
    options: ListEventsOptions,
  ): Promise<EventLogPage | null>;
  /**
   * Takes the thread's run lease for `lease.messageId` when it is free or expired (at `now`; 0
   * takes it only when free), atomically across every instance sharing the store. Resolves with
   * whether it was taken.
   */
  acquireRun(
    scope: ChatScope,
    threadId: string,
    lease: { messageId: string; expiresAt: number },
    now: number,
  ): Promise<boolean>;
  /**
   * Extends the lease while `messageId` still holds it. Resolves with the lease (its
   * `stopRequested` tells the holder to stop), or null when it is no longer held.
   */
  renewRun(
    scope: ChatScope,
    threadId: string,
    messageId: string,
    expiresAt: number,
  ): Promise<RunLease | null>;
  /**
   * The writes a run makes while its answer streams, in one call: the partial parts (the
   * message's `updatedAt` moves with them; nothing else of it changes), and the lease extended
   * when `leaseExpiresAt` is given. Unlike `updateMessage` it reads nothing back: it runs every
   * `flushIntervalMs` for every answer being generated. Resolves with the lease as `renewRun`
   * does when `leaseExpiresAt` is given (null when `messageId` no longer holds it), else with
   * undefined. For an invisible thread nothing changes, and the lease is null.
   */
  saveRunProgress(
    scope: ChatScope,
    threadId: string,
    messageId: string,
    progress: RunProgress,
  ): Promise<RunLease | null | undefined>;
  /** Frees the lease if `messageId` holds it. */
  releaseRun(scope: ChatScope, threadId: string, messageId: string): Promise<void>;
  /** The thread's lease, expired or not; null when there is none or the thread is not visible. */
  getRun(scope: ChatScope, threadId: string): Promise<RunLease | null>;
  /**
   * Asks the run holding the lease (the one of `messageId`, when given) to stop. Resolves with the
   * lease asked, or null when no such run holds it.
   */
  requestStop(scope: ChatScope, threadId: string, messageId?: string): Promise<RunLease | null>;
  /** Releases connections. */
  close(): Promise<void>;
}
