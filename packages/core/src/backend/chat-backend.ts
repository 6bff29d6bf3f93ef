import type { ModelList, Page, SendMessageResult, StopResult } from '../schemas/api';
import type { Message } from '../schemas/message';
import type {
  CreateThreadBody,
  ListMessagesQuery,
  ListThreadsQuery,
  RegenerateBody,
  SendMessageBody,
  UpdateThreadBody,
} from '../schemas/requests';
import type { Thread } from '../schemas/thread';
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
  /** One page of messages, oldest to newest; `nextCursor` pages back to older ones. */
  listMessages(
    threadId: string,
    query?: ListMessagesQuery,
    options?: RequestOptions,
  ): Promise<Page<Message>>;
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
   * answer is kept). Only the thread's latest answer can be regenerated. Resolves once the server
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
