import { ConfabError } from '../errors/confab-error';
import type { ModelInfo, SendMessageResult } from '../schemas/api';
import type { StreamChunk } from '../schemas/chunk';
import { type Message, messageText } from '../schemas/message';
import type { Part } from '../schemas/part';
import {
  createThreadBodySchema,
  regenerateBodySchema,
  sendMessageBodySchema,
  updateThreadBodySchema,
} from '../schemas/requests';
import type { Thread } from '../schemas/thread';
import { MessageTree } from '../state/message-tree';
import type { ParsedChunk } from '../stream/parse-chunk-stream';
import type { ChatBackend } from './chat-backend';

export interface MemoryBackendOptions {
  /** Who the backend acts as. Default `local`. */
  userId?: string;
  /**
   * Produces the assistant's reply to a thread's messages, as text or as streamed pieces.
   * Default: a short reply that quotes the user.
   */
  respond?: (
    messages: Message[],
    options: { signal: AbortSignal },
  ) => string | Iterable<string> | AsyncIterable<string>;
  models?: ModelInfo[];
}

const defaultModels: ModelInfo[] = [
  { id: 'memory', label: 'In-memory', provider: 'memory', contextWindow: null },
];

/**
 * A complete in-process `ChatBackend` for tests and stories: threads, paging, idempotent sends,
 * streaming and stop, all in memory. Nothing is shared between instances.
 */
export function memoryBackend(options: MemoryBackendOptions = {}): ChatBackend {
  const userId = options.userId ?? 'local';
  const models = options.models ?? defaultModels;
  const respond = options.respond ?? ((messages) => `You said: ${messageText(messages.at(-1)!)}`);
  const threads = new Map<string, Thread>();
  const messagesByThread = new Map<string, Message[]>();
  const runs = new Map<string, { messageId: string; controller: AbortController }>();
  const followers = new Map<string, Set<(event: ParsedChunk) => void>>();
  const eventSeqs = new Map<string, number>();
  let clock = Date.now();
  const now = () => new Date(++clock).toISOString();

  function findThread(threadId: string): Thread {
    const thread = threads.get(threadId);
    if (!thread) throw new ConfabError('not_found', 'Thread not found.');
    return thread;
  }

  function touch(threadId: string, patch: Partial<Thread> = {}): Thread {
    const time = now();
    const thread = { ...findThread(threadId), ...patch, updatedAt: time, lastActivityAt: time };
    threads.set(threadId, thread);
    return thread;
  }

  function store(threadId: string, message: Omit<Message, 'sequence'>): Message {
    const list = messagesByThread.get(threadId) ?? [];
    const stored = { ...message, sequence: (list.at(-1)?.sequence ?? -1) + 1 };
    list.push(stored);
    messagesByThread.set(threadId, list);
    return stored;
  }

  /** Numbers a chunk as the server does (logged ones `<seq>`, live ones `<run>.<n>`) and tells followers. */
  function announce(
    threadId: string,
    chunk: StreamChunk,
    live?: { run: number; position: number },
  ) {
    let id: string;
    if (live) {
      id = `${live.run}.${live.position}`;
    } else {
      const seq = (eventSeqs.get(threadId) ?? 0) + 1;
      eventSeqs.set(threadId, seq);
      id = String(seq);
    }
    const event = { id, chunk };
    for (const follower of followers.get(threadId) ?? []) follower(event);
    return event;
  }

  function replace(threadId: string, message: Message) {
    const list = messagesByThread.get(threadId)!;
    list[list.findIndex((item) => item.id === message.id)] = message;
  }

  function validate<T>(
    schema: { safeParse(value: unknown): { success: boolean; data?: T } },
    value: unknown,
  ): T {
    const result = schema.safeParse(value);
    if (!result.success) throw new ConfabError('invalid_request', 'Invalid request body.');
    return result.data as T;
  }

  /**
   * Streams a run: the question (when it is new), then the answer generated for it, or, for a
   * replayed request, the answer already stored.
   */
  async function* run(
    threadId: string,
    question: Message,
    options: {
      announce: boolean;
      answerId?: string;
      model?: string | null;
      replayed?: Message | null;
    },
  ): AsyncGenerator<ParsedChunk> {
    if (options.replayed !== undefined) {
      if (options.announce)
        yield { id: undefined, chunk: { type: 'message-created', message: question } };
      if (options.replayed) {
        yield { id: undefined, chunk: { type: 'message-updated', message: options.replayed } };
      }
      return;
    }
    if (options.announce) yield announce(threadId, { type: 'message-created', message: question });
    const controller = new AbortController();
    // A copy: the thread's list grows with the answer below.
    const history = new MessageTree(messagesByThread.get(threadId)!).branch(question.id);
    let assistant = store(threadId, {
      id: options.answerId ?? crypto.randomUUID(),
      threadId,
      parentId: question.id,
      role: 'assistant',
      authorId: null,
      parts: [],
      status: 'streaming',
      model: options.model ?? question.model,
      usage: null,
      error: null,
      metadata: {},
      createdAt: now(),
      updatedAt: now(),
    });
    runs.set(threadId, { messageId: assistant.id, controller });
    yield announce(threadId, { type: 'message-created', message: assistant });
    const started = announce(threadId, { type: 'run-started', messageId: assistant.id });
    yield started;
    const live = { run: Number(started.id), position: 0 };
    const next = (chunk: StreamChunk) => {
      live.position += 1;
      return announce(threadId, chunk, live);
    };
    let text = '';
    try {
      const reply = respond(history, { signal: controller.signal });
      const pieces = typeof reply === 'string' ? [reply] : reply;
      for await (const delta of pieces as AsyncIterable<string>) {
        if (controller.signal.aborted) break;
        if (live.position === 0)
          yield next({ type: 'text-start', messageId: assistant.id, id: '0' });
        text += delta;
        yield next({ type: 'text-delta', id: '0', delta });
      }
      if (live.position > 0) yield next({ type: 'text-end', id: '0' });
      const parts: Part[] = text ? [{ type: 'text', text }] : [];
      const status = controller.signal.aborted ? 'cancelled' : 'complete';
      assistant = { ...assistant, parts, status, updatedAt: now() };
    } catch (cause) {
      const error = {
        code: 'model_error',
        message: cause instanceof Error ? cause.message : String(cause),
      };
      const parts: Part[] = text ? [{ type: 'text', text }] : [];
      assistant = { ...assistant, parts, status: 'failed', error, updatedAt: now() };
    } finally {
      runs.delete(threadId);
    }
    replace(threadId, assistant);
    yield announce(threadId, { type: 'message-updated', message: assistant });
    yield announce(threadId, {
      type: 'run-finished',
      messageId: assistant.id,
      status: assistant.status,
    });
    yield announce(threadId, { type: 'thread-updated', thread: touch(threadId) });
  }

  function accept(threadId: string, input: unknown) {
    const thread = findThread(threadId);
    const body = validate(sendMessageBodySchema, input);
    const existing = body.id
      ? messagesByThread.get(threadId)?.find((item) => item.id === body.id)
      : undefined;
    if (existing) {
      const answer = messagesByThread.get(threadId)!.find((item) => item.parentId === existing.id);
      return run(threadId, existing, { announce: true, replayed: answer ?? null });
    }
    if (runs.has(threadId)) {
      throw new ConfabError('generation_in_progress', 'An answer is already being generated.');
    }
    const parts: Part[] = body.parts ?? [{ type: 'text', text: body.text ?? '' }];
    const latest = messagesByThread.get(threadId)?.at(-1);
    const userMessage = store(threadId, {
      id: body.id ?? crypto.randomUUID(),
      threadId,
      parentId: body.parentId === undefined ? (latest?.id ?? null) : body.parentId,
      role: 'user',
      authorId: userId,
      parts,
      status: 'complete',
      model: body.model ?? thread.model ?? models[0]?.id ?? null,
      usage: null,
      error: null,
      metadata: body.metadata ?? {},
      createdAt: now(),
      updatedAt: now(),
    });
    touch(threadId, { title: thread.title ?? (messageText(userMessage).slice(0, 80) || null) });
    return run(threadId, userMessage, { announce: true });
  }

  /** Starts answering the question of the thread's latest answer again, as the server does. */
  function acceptRegenerate(threadId: string, messageId: string, input: unknown) {
    const thread = findThread(threadId);
    const body = validate(regenerateBodySchema, input) ?? {};
    const list = messagesByThread.get(threadId) ?? [];
    const target = list.find((item) => item.id === messageId);
    if (!target) throw new ConfabError('not_found', 'Message not found.');
    const question = list.find((item) => item.id === target.parentId);
    if (target.role !== 'assistant' || !question) {
      throw new ConfabError('invalid_request', 'Only an answer to a question can be regenerated.');
    }
    const existing = body.id ? list.find((item) => item.id === body.id) : undefined;
    if (existing) {
      if (existing.parentId !== question.id) {
        throw new ConfabError('conflict', 'The message id is taken.');
      }
      return run(threadId, question, { announce: false, replayed: existing });
    }
    if (runs.has(threadId)) {
      throw new ConfabError('generation_in_progress', 'An answer is already being generated.');
    }
    if (list.at(-1)?.parentId !== question.id) {
      throw new ConfabError('conflict', 'Only the latest answer can be regenerated.');
    }
    return run(threadId, question, {
      announce: false,
      answerId: body.id,
      model: body.model ?? thread.model,
    });
  }

  async function waitFor(events: AsyncIterable<ParsedChunk>): Promise<SendMessageResult> {
    let question: Message | undefined;
    let message: Message | undefined;
    let thread: Thread | undefined;
    for await (const { chunk } of events) {
      if (chunk.type === 'message-created' && chunk.message.role === 'user')
        question = chunk.message;
      if (chunk.type === 'message-updated') message = chunk.message;
      if (chunk.type === 'thread-updated') thread = chunk.thread;
    }
    if (!question || !message) {
      throw new ConfabError('conflict', 'The answer is still being generated.');
    }
    return { userMessage: question, message, thread: thread ?? findThread(question.threadId) };
  }

  /** A run's events, each a batch of its own: they are produced one at a time. */
  async function* eachAlone(events: AsyncIterable<ParsedChunk>): AsyncGenerator<ParsedChunk[]> {
    for await (const event of events) yield [event];
  }

  /** A thread's events from now on, until the signal aborts or the thread is deleted. */
  async function* follow(threadId: string, signal?: AbortSignal): AsyncGenerator<ParsedChunk[]> {
    const queue: ParsedChunk[] = [];
    let wake: (() => void) | null = null;
    const listener = (event: ParsedChunk) => {
      queue.push(event);
      wake?.();
    };
    const listeners = followers.get(threadId) ?? new Set();
    followers.set(threadId, listeners);
    listeners.add(listener);
    const abort = () => wake?.();
    signal?.addEventListener('abort', abort);
    try {
      while (!signal?.aborted) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
        // What piled up since the last read is one batch, as from a network read.
        const batch = queue.splice(0);
        const deleted = batch.findIndex((event) => event.chunk.type === 'thread-deleted');
        if (deleted >= 0) {
          yield batch.slice(0, deleted + 1);
          return;
        }
        yield batch;
      }
    } finally {
      listeners.delete(listener);
      signal?.removeEventListener('abort', abort);
    }
  }

  return {
    async listThreads(query = {}) {
      const limit = Number(query.limit ?? 20);
      const archived = query.archived === true;
      const all = [...threads.values()]
        .filter((thread) => thread.archived === archived)
        .sort(
          (a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id),
        );
      const start = query.cursor ? Number(query.cursor) : 0;
      const items = all.slice(start, start + limit);
      return { items, nextCursor: start + limit < all.length ? String(start + limit) : null };
    },
    async createThread(input = {}) {
      const body = validate(createThreadBodySchema, input);
      const id = body.id ?? crypto.randomUUID();
      if (threads.has(id)) throw new ConfabError('conflict', 'A thread with this id exists.');
      const time = now();
      const thread: Thread = {
        id,
        ownerId: userId,
        title: body.title ?? null,
        model: body.model ?? null,
        metadata: body.metadata ?? {},
        archived: false,
        createdAt: time,
        updatedAt: time,
        lastActivityAt: time,
      };
      threads.set(id, thread);
      return thread;
    },
    async getThread(threadId) {
      return findThread(threadId);
    },
    async updateThread(threadId, input) {
      const body = validate(updateThreadBodySchema, input);
      const thread = { ...findThread(threadId), ...body, updatedAt: now() };
      threads.set(threadId, thread);
      announce(threadId, { type: 'thread-updated', thread });
      return thread;
    },
    async deleteThread(threadId) {
      findThread(threadId);
      runs.get(threadId)?.controller.abort();
      threads.delete(threadId);
      messagesByThread.delete(threadId);
      for (const follower of followers.get(threadId) ?? []) {
        follower({ id: undefined, chunk: { type: 'thread-deleted', threadId } });
      }
    },
    async followThread(threadId, { signal } = {}) {
      findThread(threadId);
      return follow(threadId, signal);
    },
    async listMessages(threadId, query = {}) {
      findThread(threadId);
      const limit = Number(query.limit ?? 50);
      const all = messagesByThread.get(threadId) ?? [];
      const end = query.before ? Number(query.before) : all.length;
      const start = Math.max(0, end - limit);
      return {
        items: all.slice(start, end),
        nextCursor: start > 0 ? String(start) : null,
        versions: {},
      };
    },
    async sendMessage(threadId, body) {
      return eachAlone(accept(threadId, body));
    },
    async sendMessageAndWait(threadId, body) {
      return waitFor(accept(threadId, body));
    },
    async regenerateMessage(threadId, messageId, body = {}) {
      return eachAlone(acceptRegenerate(threadId, messageId, body));
    },
    async stopGeneration(threadId, body = {}) {
      findThread(threadId);
      const active = runs.get(threadId);
      if (!active || (body.messageId && body.messageId !== active.messageId)) {
        return { stopped: false, messageId: null };
      }
      active.controller.abort();
      return { stopped: true, messageId: active.messageId };
    },
    async listModels() {
      return { items: models, defaultModel: models[0]?.id ?? '' };
    },
  };
}
