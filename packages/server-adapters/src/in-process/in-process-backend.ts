import { type ChatBackend, httpBackend } from '@confab/core';
import {
  type ChatHandler,
  type ChatHandlerOptions,
  createChatHandler,
} from '../handler/create-chat-handler';
import type { ChatModel } from '../models/chat-model';
import { demoModel } from '../models/demo-model';
import type { ChatStore } from '../store/chat-store';
import { memoryStore } from '../store/memory-store';

export interface InProcessBackendOptions
  extends Partial<Omit<ChatHandlerOptions, 'auth' | 'basePath' | 'cors'>> {
  /** Where threads and messages live. Default: a fresh `memoryStore()`. */
  store?: ChatStore;
  /** Who answers. Default: `demoModel()`; `demoModel({ tokenDelayMs: 0, reply })` scripts it. */
  model?: ChatModel;
  /** The user every request is answered as. Default `local`. */
  userId?: string;
}

/** A `ChatBackend` served by the real handler in this process, with the handler and its store. */
export interface InProcessBackend extends ChatBackend {
  handler: ChatHandler;
  /** The store behind the handler: tests seed it or read it directly. */
  store: ChatStore;
}

/** Requests never leave the process: this origin only names them. */
const BASE_URL = 'http://confab.in-process/api/chat';

/**
 * Confab without a server, for tests, stories and offline demos: `createChatHandler` over a
 * memory store and the demo model, called in-process by `httpBackend` through a `fetch` that hands
 * each request straight to the handler. Everything between the client and the store is the code
 * a real server runs, so what works here works there. Runs in browsers, Node, Deno and workers.
 */
export function inProcessBackend(options: InProcessBackendOptions = {}): InProcessBackend {
  const { userId = 'local', ...handlerOptions } = options;
  const store = options.store ?? memoryStore();
  const handler = createChatHandler({
    ...handlerOptions,
    store,
    model: options.model ?? demoModel(),
    auth: () => ({ userId }),
    basePath: new URL(BASE_URL).pathname,
  });
  const backend = httpBackend({ baseUrl: BASE_URL, fetch: handlerFetch(handler) });
  return { ...backend, handler, store };
}

/**
 * A `fetch` answered by the handler, keeping what `httpBackend` relies on from a real one: an
 * abort rejects the pending request and errors a body being read, and the handler sees it both
 * as the request's signal and as its response being cancelled (as a client that went away).
 */
function handlerFetch(handler: ChatHandler): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    const response = await untilAborted(handler(request), signal);
    if (!response.body) return response;
    return new Response(abortable(response.body, signal), response);
  };
}

/** The body, errored with the signal's reason when it aborts; the source is cancelled then. */
function abortable(source: ReadableStream<Uint8Array>, signal: AbortSignal) {
  const reader = source.getReader();
  let abort = () => {};
  const done = () => signal.removeEventListener('abort', abort);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      abort = () => {
        controller.error(signal.reason);
        reader.cancel(signal.reason).catch(() => {});
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    },
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (signal.aborted) return;
        if (ended) {
          done();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        done();
        if (!signal.aborted) controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

/** The promise's outcome, or a rejection with the signal's reason if it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
