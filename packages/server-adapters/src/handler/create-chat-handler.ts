import {
  ConfabError,
  createThreadBodySchema,
  currentBranch,
  listMessagesQuerySchema,
  listThreadsQuerySchema,
  type Message,
  type ModelInfo,
  messageText,
  regenerateBodySchema,
  type SendMessageBody,
  sendMessageBodySchema,
  stopBodySchema,
  type Thread,
  toConfabError,
  updateThreadBodySchema,
} from '@confab/core';
import type { AuthResult, ChatAuth } from '../auth/chat-auth';
import type { ChatModel } from '../models/chat-model';
import { generate, toModelMessages } from '../runs/generate';
import { Run, RunRegistry } from '../runs/run';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { errorResponse, invalid, json, readBody, validate } from './http';
import { checkPathIds } from './path-ids';
import { sseResponse } from './sse-response';

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
   * An answer still `streaming` in the store with no writes for this long, and not running in this
   * process, was interrupted (a crash): it is marked `failed` with code `interrupted`. Default 30 s.
   */
  staleAfterMs?: number;
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
  /** Stops every answer in progress (stored as `cancelled`) and waits for them to be stored. */
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
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULTS.flushIntervalMs;
  const staleAfterMs = options.staleAfterMs ?? DEFAULTS.staleAfterMs;
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  const runs = new RunRegistry();
  const claimed = new Set<string>();

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

  /** Marks answers that were left streaming by a process that died as interrupted. */
  async function settleInterrupted(scope: ChatScope, messages: Message[]): Promise<Message[]> {
    const now = Date.now();
    return Promise.all(
      messages.map(async (message) => {
        const open = message.status === 'streaming' || message.status === 'pending';
        if (!open || runs.isRunning(message.id)) return message;
        if (now - Date.parse(message.updatedAt) < staleAfterMs) return message;
        const settled = await store.updateMessage(scope, message.threadId, message.id, {
          status: 'failed',
          error: { code: 'interrupted', message: 'The answer was interrupted before it finished.' },
        });
        return settled ?? message;
      }),
    );
  }

  function wantsJson(request: Request): boolean {
    const accept = request.headers.get('accept') ?? '';
    return accept.includes('application/json') && !accept.includes('text/event-stream');
  }

  async function respondToRun(request: Request, run: Run): Promise<Response> {
    if (!wantsJson(request)) return sseResponse(run, heartbeatMs);
    const answer = await run.done;
    const failure = answer?.error;
    if (!answer || (answer.status === 'failed' && failure)) {
      const error = failure
        ? ConfabError.fromBody({ error: failure })
        : new ConfabError('internal_error', 'The answer could not be stored.');
      return errorResponse(error);
    }
    const thread = await visibleThread(run.scope, run.threadId);
    return json({ userMessage: run.userMessage, message: answer, thread });
  }

  /**
   * A retried request whose answer already exists: follows its run while it is live, else
   * replays the stored question (for a send, `announce`) and answer, the same chunks a live run
   * sends, so a client handles both alike.
   */
  function replay(
    context: Context,
    thread: Thread,
    question: Message,
    answer: Message | null,
    announce: boolean,
  ): Promise<Response> {
    const live = runs.get(thread.id);
    if (live && live.userMessage.id === question.id && live.assistantId === answer?.id) {
      return respondToRun(context.request, live);
    }
    const finished = new Run(thread.id, question, answer?.id ?? question.id, context.scope);
    if (announce) finished.emit({ type: 'message-created', message: question });
    if (answer) finished.emit({ type: 'message-end', message: answer });
    finished.emit({ type: 'thread-updated', thread });
    finished.finish(answer);
    return respondToRun(context.request, finished);
  }

  /** A retried send whose message is already stored: follow its run or return its answer. */
  async function replaySend(context: Context, thread: Thread, existing: Message) {
    if (existing.role !== 'user') throw new ConfabError('conflict', 'The message id is taken.');
    const children = await store.listChildren(context.scope, thread.id, existing.id);
    const answer = children.filter((message) => message.role === 'assistant').at(-1) ?? null;
    return replay(context, thread, existing, answer, true);
  }

  /** Runs `start` as the thread's one run starting; refuses while another runs or starts. */
  async function exclusively(threadId: string, start: () => Promise<Run>): Promise<Run> {
    if (runs.has(threadId) || claimed.has(threadId)) {
      throw new ConfabError(
        'generation_in_progress',
        'An answer is already being generated in this thread. Stop it or wait.',
      );
    }
    claimed.add(threadId);
    try {
      return await start();
    } finally {
      claimed.delete(threadId);
    }
  }

  /**
   * Stores an empty answer to `question` and registers its run; `announce` then emits what comes
   * before the answer, and the model starts. A failure before the model starts ends the run.
   */
  async function answer(
    scope: ChatScope,
    question: Message,
    reply: { id: string; model: string },
    announce?: (run: Run) => Promise<void>,
  ): Promise<Run> {
    const { threadId } = question;
    const assistant = await store.appendMessage(scope, threadId, {
      id: reply.id,
      parentId: question.id,
      role: 'assistant',
      authorId: null,
      parts: [],
      status: 'streaming',
      model: reply.model,
      metadata: {},
    });
    const run = new Run(threadId, question, assistant.id, scope);
    runs.add(run);
    keepAlive(run.done);
    try {
      await announce?.(run);
      run.emit({ type: 'message-start', message: assistant });
      // The model sees the branch that leads to the question, not earlier versions of answers.
      const recent = await store.listMessages(scope, threadId, {
        limit: limits.contextMessages * 2 + 1,
      });
      const branch = currentBranch(recent?.items ?? [], question.id);
      const history = toModelMessages(branch.slice(-limits.contextMessages), options.system);
      void generate(run, {
        store,
        scope,
        model,
        modelId: reply.model,
        history,
        flushIntervalMs,
        onError,
      });
    } catch (error) {
      run.finish(null);
      throw error;
    }
    return run;
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
    let thread = await visibleThread(scope, threadId);
    if (body.id) {
      const existing = await store.getMessage(scope, threadId, body.id);
      if (existing) return replaySend(context, thread, existing);
    }
    await checkModel(body.model, 'model');
    const modelId = body.model ?? thread.model ?? (await availableModels())[0]!.id;
    const run = await exclusively(threadId, async () => {
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
      const userMessage = await store.appendMessage(scope, threadId, {
        id: body.id ?? crypto.randomUUID(),
        parentId,
        role: 'user',
        authorId: scope.userId,
        parts: body.parts ?? [{ type: 'text', text: body.text ?? '' }],
        status: 'complete',
        model: modelId,
        metadata: body.metadata ?? {},
      });
      return answer(
        scope,
        userMessage,
        { id: crypto.randomUUID(), model: modelId },
        async (run) => {
          run.emit({ type: 'message-created', message: userMessage });
          if (!thread.title) {
            const title = deriveTitle(messageText(userMessage));
            if (title) thread = (await store.updateThread(scope, threadId, { title })) ?? thread;
            run.emit({ type: 'thread-updated', thread });
          }
        },
      );
    });
    return respondToRun(request, run);
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
        return replay(context, thread, question, existing, false);
      }
    }
    await checkModel(body.model, 'model');
    const modelId =
      body.model ?? thread.model ?? question.model ?? (await availableModels())[0]!.id;
    const run = await exclusively(threadId, async () => {
      const latest = await store.listMessages(scope, threadId, { limit: 1 });
      if (latest?.items[0]?.parentId !== question.id) {
        throw new ConfabError('conflict', 'Only the latest answer of a thread can be regenerated.');
      }
      const reply = { id: body.id ?? crypto.randomUUID(), model: modelId };
      return answer(scope, question, reply);
    });
    return respondToRun(request, run);
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
          return json(thread);
        },
        DELETE: async ({ params, scope }) => {
          const threadId = params.threadId!;
          await visibleThread(scope, threadId);
          const run = runs.get(threadId);
          if (run) {
            run.controller.abort();
            await run.done;
          }
          if (!(await store.deleteThread(scope, threadId))) {
            throw new ConfabError('not_found', 'Thread not found.');
          }
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
          return json({ ...page, items: await settleInterrupted(scope, page.items) });
        },
        POST: sendMessage,
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
          const run = runs.get(threadId);
          if (!run || (body?.messageId && body.messageId !== run.assistantId)) {
            return json({ stopped: false, messageId: null });
          }
          run.controller.abort();
          await run.done;
          return json({ stopped: true, messageId: run.assistantId });
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
    idle: () => runs.idle(),
    async close() {
      runs.abortAll();
      await runs.idle();
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

/** A thread title from its first message: the first line, at most 80 characters. */
function deriveTitle(text: string): string | null {
  const line = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 77).trimEnd()}...` : line;
}
