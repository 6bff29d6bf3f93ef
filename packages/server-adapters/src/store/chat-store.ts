import type {
  ErrorDetail,
  Message,
  MessageStatus,
  Metadata,
  Page,
  Part,
  Role,
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
  /** Cursor from a previous page: messages older than it. */
  before?: string;
}

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
  /** The newest page first; within a page, oldest to newest. Null when the thread is not visible. */
  listMessages(
    scope: ChatScope,
    threadId: string,
    options: ListMessagesOptions,
  ): Promise<Page<Message> | null>;
  getMessage(scope: ChatScope, threadId: string, messageId: string): Promise<Message | null>;
  /** The messages whose parent is `parentId`, oldest first: the answers (or versions) of a turn. */
  listChildren(scope: ChatScope, threadId: string, parentId: string): Promise<Message[]>;
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
  /** Releases connections. */
  close(): Promise<void>;
}
