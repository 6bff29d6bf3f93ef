import type { Thread } from '@confab/core';
import {
  type ChatHandler,
  type ChatScope,
  type ChatStore,
  createChatHandler,
  memoryStore,
} from '@confab/server';
import { delay, HttpResponse, http } from 'msw';
import { type SetupWorker, setupWorker } from 'msw/browser';
import { failureResponse, routeOf } from './failures';
import type { ChatFailure, ChatRoute, ChatScenario, SeedThread } from './scenario';
import { seedStore, seedThread } from './seed';
import { type StoryModel, storyModel } from './story-model';

/** Where stories mount the chat API: `<ChatProvider endpoint="/api/chat">`. */
export const CHAT_ENDPOINT = '/api/chat';

/** The user every request is answered as, unless the scenario names another. */
export const DEFAULT_STORY_USER = 'storybook';

/** One request the in-browser server received. */
export interface RecordedRequest {
  method: string;
  /** Below the endpoint, with the query: `/threads/thread-1/messages?limit=50`. */
  path: string;
  /** The API operation, or null for a path the API does not have. */
  route: ChatRoute | null;
}

/** The server of the story being shown: built fresh, from its scenario, before each story. */
interface LiveServer {
  store: ChatStore;
  scope: ChatScope;
  handler: ChatHandler;
  model: StoryModel;
  failing: ChatFailure | null;
  /** Null: every operation fails. */
  failingOn: readonly ChatRoute[] | null;
  latencyMs: number;
  requests: RecordedRequest[];
  threadsSeeded: number;
  /** Aborted when the next story replaces this server: ends its requests' simulated latency. */
  retired: AbortController;
}

let live: LiveServer | null = null;
let worker: SetupWorker | null = null;
let workerStarted: Promise<unknown> | null = null;

/**
 * Hands every request below the endpoint to the live server. Delays and failures are applied
 * here, in front of the real handler, so the handler itself runs unchanged.
 */
const chatRequestHandler = http.all(`${CHAT_ENDPOINT}/*`, async ({ request }) => {
  const server = live;
  if (!server) return HttpResponse.error();
  const url = new URL(request.url);
  const path = url.pathname.slice(CHAT_ENDPOINT.length) + url.search;
  const route = routeOf(request.method, url.pathname.slice(CHAT_ENDPOINT.length));
  server.requests.push({ method: request.method, path, route });
  if (server.latencyMs > 0) {
    await Promise.race([delay(server.latencyMs), whenAborted(server.retired.signal)]);
  }
  // The story that made this request is gone: its page never sees the answer.
  if (server.retired.signal.aborted) return HttpResponse.error();
  const fails =
    server.failing !== null &&
    (server.failingOn === null || (route !== null && server.failingOn.includes(route)));
  const failure = fails ? failureResponse(server.failing!) : null;
  return failure ?? server.handler(request);
});

function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function startWorker(): Promise<unknown> {
  if (!workerStarted) {
    worker = setupWorker(chatRequestHandler);
    // msw's Vite plugin serves the worker script from the installed msw at the site's base, so
    // the worker always matches the library version (see main.ts).
    workerStarted = worker.start({
      quiet: true,
      onUnhandledFrame: 'bypass',
      serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    });
  }
  return workerStarted;
}

/**
 * Replaces the server with a fresh one built from the scenario: a new memory store seeded with
 * its threads, a new handler, its model, failures and latency. Answers still running in the
 * previous story are stopped first, so nothing leaks from one story into the next.
 */
export async function resetChatServer(scenario: ChatScenario = {}): Promise<void> {
  await startWorker();
  const previous = live;
  live = null;
  previous?.retired.abort();
  await previous?.handler.close();
  const user = scenario.user ?? DEFAULT_STORY_USER;
  const scope: ChatScope = { userId: user };
  const store = memoryStore();
  const threads = scenario.threads ?? [];
  await seedStore(store, scope, threads);
  const failing = scenario.failing ?? null;
  const model = storyModel(scenario.model, failing === 'model_error');
  const handler = createChatHandler({
    store,
    model,
    // A fixed user: stories show one person's chat; `user` picks who.
    auth: () => ({ userId: user }),
    basePath: CHAT_ENDPOINT,
  });
  live = {
    store,
    scope,
    handler,
    model,
    failing: failing === 'model_error' ? null : failing,
    failingOn: scenario.failingOn ?? null,
    latencyMs: scenario.latencyMs ?? 0,
    requests: [],
    threadsSeeded: threads.length,
    retired: new AbortController(),
  };
  worker!.resetHandlers(...(scenario.handlers ?? []), chatRequestHandler);
}

function current(): LiveServer {
  if (!live) {
    throw new Error(
      'The in-browser chat server is not running: it starts before each story renders. Use chatBackend in a play function or a render function.',
    );
  }
  return live;
}

/** The live server of the current story, to change or inspect it from a play function. */
export const chatBackend = {
  /** The memory store behind the handler: read or write it directly. */
  get store(): ChatStore {
    return current().store;
  },
  /** The story user's scope, for store calls. */
  get scope(): ChatScope {
    return current().scope;
  },
  /** Every request since the story started, oldest first. */
  get requests(): readonly RecordedRequest[] {
    return current().requests;
  },
  /**
   * Makes later requests fail (`model_error`: later answers fail partway). `on` limits it to some
   * operations; without it, every operation fails.
   */
  fail(failure: ChatFailure, options: { on?: ChatRoute[] } = {}): void {
    const server = current();
    server.model.setFailing(failure === 'model_error');
    server.failing = failure === 'model_error' ? null : failure;
    server.failingOn = options.on ?? null;
  },
  /** Ends every simulated failure: later requests and answers work again. */
  recover(): void {
    const server = current();
    server.model.setFailing(false);
    server.failing = null;
    server.failingOn = null;
  },
  /** Milliseconds before the server answers each later request. */
  setLatency(latencyMs: number): void {
    current().latencyMs = latencyMs;
  },
  /** Adds a thread (and its messages) to the store now, as the story user. */
  async seedThread(seed: SeedThread): Promise<Thread> {
    const server = current();
    server.threadsSeeded++;
    return seedThread(server.store, server.scope, seed, `thread-${server.threadsSeeded}`);
  },
  /** Resolves when no answer is being generated. */
  idle(): Promise<void> {
    return current().handler.idle();
  },
};
