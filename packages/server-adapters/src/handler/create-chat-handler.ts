import {
  ConfabError,
  createThreadBodySchema,
  listMessagesQuerySchema,
  listThreadsQuerySchema,
  type Message,
  type ModelInfo,
  messageText,
  regenerateBodySchema,
  type SendMessageBody,
  type StreamChunk,
  sendMessageBodySchema,
  stopBodySchema,
  type Thread,
  toConfabError,
  updateThreadBodySchema,
} from '@confab/core';
import type { AuthResult, ChatAuth } from '../auth/chat-auth';
import { inProcessBus } from '../bus/in-process-bus';
import type { ThreadEventBus } from '../bus/thread-event-bus';
import { type EventPosition, parseEventPosition } from '../events/event-position';
import { ThreadEvents } from '../events/thread-events';
import { ThreadHub } from '../events/thread-hub';
import { threadStream } from '../events/thread-stream';
import type { ChatModel } from '../models/chat-model';
import { RunService } from '../runs/run-service';
import { deriveTitle } from '../runs/title';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { errorResponse, invalid, json, readBody, validate } from './http';
import { checkPathIds } from './path-ids';

export interface ChatHandlerLimits {
  /** Largest request body in bytes (413 above). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most characters of text in one message (413 above). Default 100,000. */
  maxMessageChars?: number;
  /** How many of the latest messages the model sees. Default 50. */
  contextMessages?: number;
}

export interface ChatHandlerOptions {
  store: ChatStore;
  model: ChatModel;
  /** Identifies the caller of each request; required. See `devAuth` and `jwtAuth`. */
  auth: ChatAuth;
  /** Where the API is mounted, e.g. `/api/chat`. Default: the root. */
  basePath?: string;
  limits?: ChatHandlerLimits;
  /** A system prompt put before every conversation. */
  system?: string;
  /** Milliseconds between SSE comment heartbeats. Default 15,000. */
  heartbeatMs?: number;
  /** Longest time between two writes of a streaming answer. Default 500 ms. */
  flushIntervalMs?: number;
  /**
   * How long a run's lease in the store lasts without renewal (it is renewed three times in that
   * period while the answer streams). An instance that dies mid-answer holds the thread this
   * long at most; then its answer is marked `failed` with code `interrupted`. Default 15 s.
   */
  leaseMs?: number;
  /** An answer whose model sends nothing for this long fails with code `timeout`. Default 60 s. */
  idleTimeoutMs?: number;
  /** An answer still generating after this long fails with code `timeout`. Default 10 min. */
  maxDurationMs?: number;
  /**
   * An answer still `streaming` in the store with no writes for this long and no lease (left by
   * a crash) was interrupted: it is marked `failed` with code `interrupted`. Default 30 s.
   */
  staleAfterMs?: number;
  /**
   * Carries each thread's events between the instances that share the store. Default: in this
   * process only, which is right for one instance; with several, pass `postgresBus()` (from
   * `@confab/server/postgres`) or `redisBus()` (from `@confab/server/redis`).
   */
  bus?: ThreadEventBus;
  /** Called with unexpected errors (answered 500) and an unreachable database (503). Default: `console.error`. */
  onError?: (error: unknown) => void;
  /**
   * Keeps a serverless invocation alive until each answer is stored, even when the client went
   * away mid-answer: pass your platform's `waitUntil` (Vercel's `waitUntil` from
   * `@vercel/functions`, Next.js's `after`, Cloudflare's `ctx.waitUntil`). Called with a promise
   * for every answer started. A long-lived server needs none: it finishes answers anyway.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** The whole chat API as one fetch-style function, plus lifecycle controls. */
export interface ChatHandler {
  (request: Request): Promise<Response>;
  /** Resolves when no answer is being generated. */
  idle(): Promise<void>;
  /**
   * Stops every answer in progress here (stored as `cancelled`), waits for them to be stored,
   * and stops following threads. Leaves the store and the bus open: they are the caller's.
   */
  close(): Promise<void>;
}

interface Context {
  request: Request;
  url: URL;
  params: Record<string, string>;
  scope: ChatScope;
}

type RouteHandler = (context: Context) => Promise<Response>;

interface Route {
  segments: string[];
  methods: Record<string, RouteHandler>;
  public?: boolean;
}

const DEFAULTS = {
  maxBodyBytes: 1024 * 1024,
  maxMessageChars: 100_000,
  contextMessages: 50,
  heartbeatMs: 15_000,
  flushIntervalMs: 500,
  leaseMs: 15_000,
  idleTimeoutMs: 60_000,
  maxDurationMs: 10 * 60_000,
  staleAfterMs: 30_000,
};

/**
 * Creates the chat API handler: `(Request) => Promise<Response>`, implementing the Confab contract
 * (threads, messages, streaming sends, regeneration, stop, models, health) over any store, model
 * and auth.
 */
export function createChatHandler(options: ChatHandlerOptions): ChatHandler {
  if (!options.store) throw new Error('createChatHandler() needs a "store".');
  if (!options.model) throw new Error('createChatHandler() needs a "model".');
  if (typeof options.auth !== 'function') {
    throw new Error(
      'createChatHandler() needs an "auth" function: devAuth() for demos, jwtAuth() or your own in production.',
    );
  }
  const { store, model } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const limits = { ...DEFAULTS, ...options.limits };
  const heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
  const staleAfterMs = options.staleAfterMs ?? DEFAULTS.staleAfterMs;
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  const hub = new ThreadHub({ bus: options.bus ?? inProcessBus({ onError }), onError });
  const events = new ThreadEvents(store, hub);
  const service = new RunService({
    store,
    model,
    events,
    contextMessages: limits.contextMessages,
    system: options.system,
    flushIntervalMs: options.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
    leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    maxDurationMs: options.maxDurationMs ?? DEFAULTS.maxDurationMs,
    keepAlive,
    onError,
  });

  /** Hands an answer's completion to the platform's `waitUntil`, if there is one. */
  function keepAlive(done: Promise<unknown>) {
    if (!options.waitUntil) return;
    try {
      options.waitUntil(done);
    } catch (error) {
      // The answer still runs; only the platform's guarantee is missing.
      onError(error);
    }
  }

  async function visibleThread(scope: ChatScope, threadId: string): Promise<Thread> {
    const thread = await store.getThread(scope, threadId);
    if (!thread) throw new ConfabError('not_found', 'Thread not found.');
    return thread;
  }

  async function availableModels(): Promise<ModelInfo[]> {
    const models = await model.models();
    if (models.length === 0) throw new Error('The model lists no models.');
    return models;
  }

  async function checkModel(id: string | null | undefined, path: string): Promise<void> {
    if (id === null || id === undefined) return;
    const models = await availableModels();
    if (!models.some((entry) => entry.id === id)) {
      throw invalid(`Unknown model "${id}". GET /models lists the available ones.`, [
        { path: [path], message: 'Unknown model.' },
      ]);
    }
  }

  function wantsJson(request: Request): boolean {
    const accept = request.headers.get('accept') ?? '';
    return accept.includes('application/json') && !accept.includes('text/event-stream');
  }

  /** The one JSON result of a run: its question, stored answer and thread. */
  async function runResult(scope: ChatScope, question: Message, answer: Message | null) {
    const failure = answer?.error;
    if (!answer || (answer.status === 'failed' && failure)) {
      const error = failure
        ? ConfabError.fromBody({ error: failure })
        : new ConfabError('internal_error', 'The answer could not be stored.');
      return errorResponse(error);
    }
    const thread = await visibleThread(scope, question.threadId);
    return json({ userMessage: question, message: answer, thread });
  }

  /**
   * Starts an answer and responds with its events (or, for `accept: application/json`, its
   * result). The stream follows the thread before the run starts, so it misses nothing.
   */
  async function startRun(
    context: Context,
    request: Parameters<RunService['answer']>[0],
  ): Promise<Response> {
    const { scope } = context;
    if (wantsJson(context.request)) {
      const run = await service.answer(request);
      return runResult(scope, run.question, await run.done);
    }
    const stream = await threadStream({
      ...streamOptions(scope, request.thread.id),
      run: { questionId: request.questionId, messageId: request.answerId },
    });
    try {
      await service.answer(request);
    } catch (error) {
      stream.cancel();
      throw error;
    }
    return stream.response;
  }

  function streamOptions(scope: ChatScope, threadId: string) {
    return {
      hub,
      store,
      runs: service.runs,
      scope,
      threadId,
      heartbeatMs,
      onError,
      stillVisible: async () => (await store.getThread(scope, threadId)) !== null,
    };
  }

  /**
   * A retried request whose question is stored: follows the answer's run while it is live, else
   * replays the stored question (for a send, `announce`) and answer, the same chunks a live run
   * sends, so a client handles both alike. A question left without an answer (a crash between
   * the two) is answered now.
   */
  async function replay(
    context: Context,
    thread: Thread,
    question: Message,
    answer: Message | null,
    announce: boolean,
    modelId: () => Promise<string>,
  ): Promise<Response> {
    const { scope } = context;
    if (!answer) {
      return startRun(context, {
        scope,
        thread,
        questionId: question.id,
        answerId: crypto.randomUUID(),
        modelId: await modelId(),
      });
    }
    const lease = await store.getRun(scope, thread.id);
    const live = lease?.messageId === answer.id && lease.expiresAt >= Date.now();
    if (wantsJson(context.request)) {
      const stored = live ? await service.finished(scope, thread.id, answer.id) : answer;
      return runResult(scope, question, stored);
    }
    const initial: StreamChunk[] = announce ? [{ type: 'message-created', message: question }] : [];
    if (!live) {
      initial.push(
        { type: 'message-updated', message: answer },
        { type: 'thread-updated', thread },
      );
    }
    const stream = await threadStream({
      ...streamOptions(scope, thread.id),
      run: { questionId: question.id, messageId: answer.id },
      initial,
      finished: !live,
    });
    return stream.response;
  }

  /** A retried send whose message is already stored: follow its run or return its answer. */
  async function replaySend(
    context: Context,
    thread: Thread,
    existing: Message,
    modelId: () => Promise<string>,
  ) {
    if (existing.role !== 'user') throw new ConfabError('conflict', 'The message id is taken.');
    const children = await store.listChildren(context.scope, thread.id, existing.id);
    const answer = children.filter((message) => message.role === 'assistant').at(-1) ?? null;
    return replay(context, thread, existing, answer, true, modelId);
  }

  async function sendMessage(context: Context): Promise<Response> {
    const { scope, request } = context;
    const threadId = context.params.threadId!;
    const body: SendMessageBody = await readBody(
      request,
      sendMessageBodySchema,
      limits.maxBodyBytes,
    );
    const text =
      body.text ??
      (body.parts ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
    if (text.length > limits.maxMessageChars) {
      throw new ConfabError(
        'payload_too_large',
        `The message is longer than ${limits.maxMessageChars} characters.`,
      );
    }
    const thread = await visibleThread(scope, threadId);
    const modelId = async () => {
      await checkModel(body.model, 'model');
      return body.model ?? thread.model ?? (await availableModels())[0]!.id;
    };
    if (body.id) {
      const existing = await store.getMessage(scope, threadId, body.id);
      if (existing) return replaySend(context, thread, existing, modelId);
    }
    const model = await modelId();
    const questionId = body.id ?? crypto.randomUUID();
    return startRun(context, {
      scope,
      thread,
      questionId,
      answerId: crypto.randomUUID(),
      modelId: model,
      prepare: async () => {
        let parentId = body.parentId;
        if (parentId) {
          if (!(await store.getMessage(scope, threadId, parentId))) {
            throw invalid('The parent message is not in this thread.', [
              { path: ['parentId'], message: 'Not found.' },
            ]);
          }
        } else if (parentId === undefined) {
          const latest = await store.listMessages(scope, threadId, { limit: 1 });
          parentId = latest?.items[0]?.id ?? null;
        }
        const question = await store.appendMessage(scope, threadId, {
          id: questionId,
          parentId,
          role: 'user',
          authorId: scope.userId,
          parts: body.parts ?? [{ type: 'text', text: body.text ?? '' }],
          status: 'complete',
          model,
          metadata: body.metadata ?? {},
        });
        const before: StreamChunk[] = [{ type: 'message-created', message: question }];
        const title = thread.title ? null : deriveTitle(messageText(question));
        const titled = title ? await store.updateThread(scope, threadId, { title }) : null;
        if (titled) before.push({ type: 'thread-updated', thread: titled });
        return { question, before };
      },
    });
  }

  /**
   * Answers the question of the thread's latest answer again, as a new answer beside the old one
   * (which is kept: it is an earlier version). An answer further back would start a branch, which
   * this API does not offer yet: 409.
   */
  async function regenerate(context: Context): Promise<Response> {
    const { scope, request } = context;
    const { threadId, messageId } = context.params as { threadId: string; messageId: string };
    const body = (await readBody(request, regenerateBodySchema, limits.maxBodyBytes)) ?? {};
    const thread = await visibleThread(scope, threadId);
    const target = await store.getMessage(scope, threadId, messageId);
    if (!target) throw new ConfabError('not_found', 'Message not found.');
    const question = target.parentId
      ? await store.getMessage(scope, threadId, target.parentId)
      : null;
    if (target.role !== 'assistant' || !question) {
      throw new ConfabError(
        'invalid_request',
        'Only an answer can be regenerated; this message answers nothing.',
      );
    }
    if (body.id) {
      const existing = await store.getMessage(scope, threadId, body.id);
      if (existing) {
        if (existing.role !== 'assistant' || existing.parentId !== question.id) {
          throw new ConfabError('conflict', 'The message id is taken.');
        }
        return replay(context, thread, question, existing, false, async () => existing.model ?? '');
      }
    }
    const modelId = async () => {
      await checkModel(body.model, 'model');
      return body.model ?? thread.model ?? question.model ?? (await availableModels())[0]!.id;
    };
    return startRun(context, {
      scope,
      thread,
      questionId: question.id,
      answerId: body.id ?? crypto.randomUUID(),
      modelId: await modelId(),
      prepare: async () => {
        const latest = await store.listMessages(scope, threadId, { limit: 1 });
        if (latest?.items[0]?.parentId !== question.id) {
          throw new ConfabError(
            'conflict',
            'Only the latest answer of a thread can be regenerated.',
          );
        }
        return { question, before: [] };
      },
    });
  }

  const routes: Route[] = [
    {
      segments: ['health'],
      public: true,
      methods: { GET: async () => json({ status: 'ok', time: new Date().toISOString() }) },
    },
    {
      segments: ['models'],
      methods: {
        GET: async () => {
          const items = await availableModels();
          return json({ items, defaultModel: items[0]!.id });
        },
      },
    },
    {
      segments: ['threads'],
      methods: {
        GET: async ({ url, scope }) => {
          const query = validate(
            listThreadsQuerySchema,
            Object.fromEntries(url.searchParams),
            'query',
          );
          return json(await store.listThreads(scope, query));
        },
        POST: async ({ request, scope }) => {
          const body = await readBody(
            request,
            createThreadBodySchema.optional(),
            limits.maxBodyBytes,
          );
          await checkModel(body?.model, 'model');
          const thread = await store.createThread(scope, {
            id: body?.id ?? crypto.randomUUID(),
            title: body?.title ?? null,
            model: body?.model ?? null,
            metadata: body?.metadata ?? {},
          });
          return json(thread, 201);
        },
      },
    },
    {
      segments: ['threads', ':threadId'],
      methods: {
        GET: async ({ params, scope }) => json(await visibleThread(scope, params.threadId!)),
        PATCH: async ({ request, params, scope }) => {
          const patch = await readBody(request, updateThreadBodySchema, limits.maxBodyBytes);
          await checkModel(patch.model, 'model');
          const thread = await store.updateThread(scope, params.threadId!, patch);
          if (!thread) throw new ConfabError('not_found', 'Thread not found.');
          await events.record(scope, thread.id, [{ type: 'thread-updated', thread }]);
          return json(thread);
        },
        DELETE: async ({ params, scope }) => {
          const threadId = params.threadId!;
          await visibleThread(scope, threadId);
          await service.stop(scope, threadId);
          if (!(await store.deleteThread(scope, threadId))) {
            throw new ConfabError('not_found', 'Thread not found.');
          }
          events.announceDeleted(threadId);
          return new Response(null, { status: 204 });
        },
      },
    },
    {
      segments: ['threads', ':threadId', 'messages'],
      methods: {
        GET: async ({ url, params, scope }) => {
          const query = validate(
            listMessagesQuerySchema,
            Object.fromEntries(url.searchParams),
            'query',
          );
          const page = await store.listMessages(scope, params.threadId!, query);
          if (!page) throw new ConfabError('not_found', 'Thread not found.');
          const items = await service.settleStale(scope, page.items, staleAfterMs);
          return json({ ...page, items });
        },
        POST: sendMessage,
      },
    },
    {
      segments: ['threads', ':threadId', 'events'],
      methods: {
        GET: async ({ request, url, params, scope }) => {
          const threadId = params.threadId!;
          await visibleThread(scope, threadId);
          const after = url.searchParams.get('after') ?? request.headers.get('last-event-id');
          const position: EventPosition | undefined = after ? parseEventPosition(after) : undefined;
          const stream = await threadStream({ ...streamOptions(scope, threadId), after: position });
          return stream.response;
        },
      },
    },
    {
      segments: ['threads', ':threadId', 'messages', ':messageId', 'regenerate'],
      methods: { POST: regenerate },
    },
    {
      segments: ['threads', ':threadId', 'stop'],
      methods: {
        POST: async ({ request, params, scope }) => {
          const body = await readBody(request, stopBodySchema, limits.maxBodyBytes);
          const threadId = params.threadId!;
          await visibleThread(scope, threadId);
          const messageId = await service.stop(scope, threadId, body?.messageId);
          return json({ stopped: messageId !== null, messageId });
        },
      },
    },
  ];

  async function authenticate(request: Request): Promise<AuthResult> {
    const result = await options.auth(request);
    if (!result || typeof result.userId !== 'string' || result.userId === '') {
      throw new ConfabError('unauthorized', 'Sign in to use the chat API.');
    }
    return result;
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const match = matchRoute(routes, url.pathname, basePath);
      if (!match)
        throw new ConfabError('not_found', `No route for ${request.method} ${url.pathname}.`);
      const run = match.route.methods[request.method.toUpperCase()];
      if (!run) {
        const allow = Object.keys(match.route.methods).join(', ');
        return errorResponse(
          new ConfabError(
            'method_not_allowed',
            `${request.method} is not allowed here. Allowed: ${allow}.`,
          ),
          { allow },
        );
      }
      const scope: ChatScope = match.route.public
        ? { userId: '' }
        : await authenticate(request).then(({ userId, claims }) => ({ userId, claims }));
      checkPathIds(match.params);
      return await run({ request, url, params: match.params, scope });
    } catch (error) {
      const failure = toConfabError(error);
      // An unreachable database is answered 503, and reported: somebody has to bring it back.
      if (
        failure.status >= 500 &&
        (!ConfabError.isInstance(error) || failure.code === 'unavailable')
      )
        onError(error);
      return errorResponse(
        failure.code === 'internal_error' && !ConfabError.isInstance(error)
          ? new ConfabError('internal_error', 'Something went wrong on the server.')
          : failure,
      );
    }
  };

  return Object.assign(handler, {
    idle: () => service.idle(),
    async close() {
      await service.close();
      hub.close();
    },
  });
}

function matchRoute(routes: Route[], pathname: string, basePath: string) {
  if (basePath && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return null;
  const rest = pathname.slice(basePath.length).split('/').filter(Boolean);
  let segments: string[];
  try {
    segments = rest.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = route.segments.every((pattern, index) => {
      const segment = segments[index]!;
      if (pattern.startsWith(':')) {
        params[pattern.slice(1)] = segment;
        return true;
      }
      return pattern === segment;
    });
    if (matched) return { route, params };
  }
  return null;
}
