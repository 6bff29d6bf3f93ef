import type {
  DeleteMessageResult,
  MessagePage,
  ModelList,
  Page,
  SendMessageResult,
  StopResult,
} from '../schemas/api';
import type { Message } from '../schemas/message';
import type {
  CreateThreadBody,
  ExportThreadQuery,
  ForkThreadBody,
  ListMessagesQuery,
  ListThreadsQuery,
  RegenerateBody,
  SendMessageBody,
  SetLeafBody,
  UpdateThreadBody,
} from '../schemas/requests';
import type { Thread } from '../schemas/thread';
import type { ThreadExport } from '../schemas/thread-export';
import type { ParsedChunk } from '../stream/parse-chunk-stream';

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface FollowOptions extends RequestOptions {
  /** The id of the last event the caller has: the stream resumes after it. */
  after?: string;
}

/**
 * The seam between chat state and wherever the chat lives: a server over HTTP (`httpBackend`),
 * the real server called in-process (`inProcessBackend` from `@confab/server`, for tests, stories
 * and offline demos), or anything else that keeps the same contract.
 * Every method rejects with a `ConfabError`.
 */
export interface ChatBackend {
  listThreads(query?: ListThreadsQuery, options?: RequestOptions): Promise<Page<Thread>>;
  createThread(body?: CreateThreadBody, options?: RequestOptions): Promise<Thread>;
  getThread(threadId: string, options?: RequestOptions): Promise<Thread>;
  updateThread(threadId: string, body: UpdateThreadBody, options?: RequestOptions): Promise<Thread>;
  deleteThread(threadId: string, options?: RequestOptions): Promise<void>;
  /**
   * One page of the caller's current branch, oldest to newest; `nextCursor` pages on up the same
   * branch, and `versions` names the siblings of the page's messages that have any.
   */
  listMessages(
    threadId: string,
    query?: ListMessagesQuery,
    options?: RequestOptions,
  ): Promise<MessagePage>;
  /** The versions of a message's turn (its siblings, itself included), oldest first. */
  listVersions(threadId: string, messageId: string, options?: RequestOptions): Promise<Message[]>;
  /**
   * Makes the caller's current branch run through `messageId` (and on down its newest children);
   * resolves with the first page of that branch.
   */
  setLeaf(threadId: string, body: SetLeafBody, options?: RequestOptions): Promise<MessagePage>;
  /** Deletes a message and everything below it, stopping an answer being generated there. */
  deleteMessage(
    threadId: string,
    messageId: string,
    options?: RequestOptions,
  ): Promise<DeleteMessageResult>;
  /** A new thread of the caller's holding a copy of the branch up to `body.messageId`. */
  forkThread(threadId: string, body: ForkThreadBody, options?: RequestOptions): Promise<Thread>;
  /** The thread as a file: JSON (every branch, re-importable) or Markdown (the current branch). */
  exportThread(
    threadId: string,
    query?: Partial<ExportThreadQuery>,
    options?: RequestOptions,
  ): Promise<File>;
  /** A new thread of the caller's from a JSON export. */
  importThread(data: ThreadExport, options?: RequestOptions): Promise<Thread>;
  /**
   * Sends a message and streams the run. Resolves once the server accepted the message (or rejects
   * with its error); the iterable then yields every chunk, with its event id, until the run ends,
   * in batches: the chunks that arrived together (one read from the network), so that a client
   * applies them and announces the change once.
   */
  sendMessage(
    threadId: string,
    body: SendMessageBody,
    options?: RequestOptions,
  ): Promise<AsyncIterable<ParsedChunk[]>>;
  /** Sends a message and resolves with the finished answer, without streaming. */
  sendMessageAndWait(
    threadId: string,
    body: SendMessageBody,
    options?: RequestOptions,
  ): Promise<SendMessageResult>;
  /**
   * Answers the question of an assistant message again, as a new message beside it (the earlier
   * answer is kept), which becomes the caller's current leaf: any answer of the thread, however
   * far back. Resolves once the server
   * accepted the request; the iterable then yields the new answer's chunks.
   */
  regenerateMessage(
    threadId: string,
    messageId: string,
    body?: RegenerateBody,
    options?: RequestOptions,
  ): Promise<AsyncIterable<ParsedChunk[]>>;
  /**
   * Follows everything that happens to the thread, from any client and any server instance:
   * new messages, the parts of answers being generated (starting with the answer so far), updates
   * and deletes. With `after`, resumes after that event. Ends when the thread is deleted, the
   * caller loses access, or the signal aborts; a dropped connection rejects the iteration.
   */
  followThread(threadId: string, options?: FollowOptions): Promise<AsyncIterable<ParsedChunk[]>>;
  /** Stops the thread's running generation; the partial answer is kept as `cancelled`. */
  stopGeneration(
    threadId: string,
    body?: { messageId?: string },
    options?: RequestOptions,
  ): Promise<StopResult>;
  listModels(options?: RequestOptions): Promise<ModelList>;
}
