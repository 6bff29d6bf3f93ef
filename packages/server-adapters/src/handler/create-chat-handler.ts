import { ConfabError, toConfabError } from '@confab/core';
import { Hono } from 'hono';
import type { AuthResult, ChatAuth } from '../auth/chat-auth';
import { inProcessBus } from '../bus/in-process-bus';
import type { ThreadEventBus } from '../bus/thread-event-bus';
import { ThreadEvents } from '../events/thread-events';
import { ThreadHub } from '../events/thread-hub';
import type { ChatModel } from '../models/chat-model';
import type { RunHooks } from '../runs/run-hooks';
import { RunService } from '../runs/run-service';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { ChatApi } from './chat-api';
import { type CorsOptions, withCors } from './cors';
import { errorResponse } from './http';
import { eventRoutes } from './routes/event-routes';
import { messageRoutes } from './routes/message-routes';
import type { RouteEnv } from './routes/route-env';
import { threadCopyRoutes } from './routes/thread-copy-routes';
import { threadRoutes } from './routes/thread-routes';
import { uiMessageStreamRoutes } from './routes/ui-message-stream-routes';

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
  /**
   * Where rate limits, quotas, usage accounting and logging plug in: called before an answer
   * starts (throw a `ConfabError`, say `rate_limited`, to refuse it), after it is stored, and
   * with its token usage. See `RunHooks`.
   */
  hooks?: RunHooks;
  /**
   * Lets browser pages on other origins call the API: `true` for any origin, or the origins and
   * headers allowed. Default: no CORS headers (same-origin apps need none).
   */
  cors?: true | CorsOptions;
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
 * (threads, messages, streaming sends, regeneration, stop, the thread's events, models, health)
 * over any store, model and auth. Routing is Hono's; the routes live in `./routes`, the runs in
 * `RunService`.
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
    hooks: options.hooks ?? {},
    keepAlive,
    onError,
  });
  const api = new ChatApi(
    store,
    model,
    service,
    events,
    limits,
    {
      heartbeatMs: options.heartbeatMs ?? DEFAULTS.heartbeatMs,
      staleAfterMs: options.staleAfterMs ?? DEFAULTS.staleAfterMs,
    },
    onError,
  );

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

  async function authenticate(request: Request): Promise<ChatScope> {
    const result: AuthResult | null = await options.auth(request);
    if (!result || typeof result.userId !== 'string' || result.userId === '') {
      throw new ConfabError('unauthorized', 'Sign in to use the chat API.');
    }
    return { userId: result.userId, claims: result.claims };
  }

  // Not strict: `/threads/` is `/threads`, as clients and proxies often write it.
  const app = new Hono<RouteEnv>({ strict: false }).basePath(basePath || '/');
  threadRoutes(app, api, authenticate);
  messageRoutes(app, api, authenticate);
  threadCopyRoutes(app, api, authenticate);
  eventRoutes(app, api, authenticate);
  uiMessageStreamRoutes(app, api, authenticate);
  app.notFound((context) =>
    errorResponse(
      new ConfabError('not_found', `No route for ${context.req.method} ${context.req.path}.`),
    ),
  );
  app.onError((error) => {
    const failure = toConfabError(error);
    // An unreachable database is answered 503, and reported: somebody has to bring it back.
    if (
      failure.status >= 500 &&
      (!ConfabError.isInstance(error) || failure.code === 'unavailable')
    ) {
      onError(error);
    }
    return errorResponse(
      failure.code === 'internal_error' && !ConfabError.isInstance(error)
        ? new ConfabError('internal_error', 'Something went wrong on the server.')
        : failure,
    );
  });

  const route = (request: Request) => Promise.resolve(app.fetch(request));
  const cors = options.cors === true ? {} : options.cors;
  const handler = cors ? withCors(route, cors) : route;

  return Object.assign((request: Request) => handler(request), {
    idle: () => service.idle(),
    async close() {
      await service.close();
      hub.close();
    },
  });
}
