import { ConfabError } from '@confab/core';
import type { ChatAuth } from '../auth/chat-auth';
import { type CorsOptions, type FetchFunction, withCors } from '../handler/cors';
import {
  type ChatHandler,
  type ChatHandlerOptions,
  createChatHandler,
} from '../handler/create-chat-handler';
import { errorResponse } from '../handler/http';
import { readEnvironment } from '../runtime/read-environment';
import type { ChatStore } from '../store/chat-store';
import { supabaseAuth } from './supabase-auth';
import { supabaseStore } from './supabase-store';

export interface ChatFunctionOptions
  extends Omit<ChatHandlerOptions, 'store' | 'auth' | 'basePath'> {
  /** Default: `supabaseStore()` on `SUPABASE_DB_URL`, which Edge Functions are given. */
  store?: ChatStore | Promise<ChatStore>;
  /** Default: `supabaseAuth()` with `SUPABASE_URL` (and `SUPABASE_JWT_SECRET` when set). */
  auth?: ChatAuth;
  /**
   * Where the API is mounted. Default: `/<function-name>`, the first segment of the first
   * request's path, as Supabase starts every path of a function with the function's name.
   */
  basePath?: string;
  /**
   * Which browser origins may call the function. Default: the comma-separated origins of
   * `CONFAB_ALLOWED_ORIGINS`, else any origin.
   */
  cors?: CorsOptions;
  /**
   * Default: the runtime's `EdgeRuntime.waitUntil`, so that an answer whose client went away is
   * still stored before the function is shut down.
   */
  waitUntil?: ChatHandlerOptions['waitUntil'];
}

/** The Edge Function's fetch function, with `close()` to stop running answers and the store. */
export interface ChatFunction extends FetchFunction {
  close(): Promise<void>;
}

/**
 * The chat API as a Supabase Edge Function's fetch function: `createChatHandler` over
 * `supabaseStore()` and `supabaseAuth()` by default, behind CORS for the app's pages. `serveChat`
 * passes it to `Deno.serve`; any runtime with Fetch `Request`/`Response` can call it.
 */
export function createChatFunction(options: ChatFunctionOptions): ChatFunction {
  const { store: givenStore, auth: givenAuth, basePath, cors, ...handlerOptions } = options;
  const onError = options.onError ?? ((error: unknown) => console.error('[confab]', error));
  // Created now, so that missing settings fail the function's start, not its first request.
  const auth = givenAuth ?? supabaseAuth();
  const ownsStore = givenStore === undefined;
  const store = Promise.resolve(givenStore ?? supabaseStore());
  // Reported once it is needed; until then a rejected store must not crash the runtime.
  store.catch(() => {});

  let handler: Promise<ChatHandler> | undefined;
  const handlerFor = (request: Request) => {
    handler ??= store.then((resolved) =>
      createChatHandler({
        ...handlerOptions,
        store: resolved,
        auth,
        basePath: basePath ?? functionPath(request),
        waitUntil: handlerOptions.waitUntil ?? edgeRuntimeWaitUntil(),
      }),
    );
    return handler;
  };

  const serve = withCors(
    async (request) => {
      let chat: ChatHandler;
      try {
        chat = await handlerFor(request);
      } catch (error) {
        onError(error);
        return errorResponse(
          new ConfabError('internal_error', 'The chat function could not open its store.'),
        );
      }
      return chat(request);
    },
    { origins: allowedOrigins() ?? '*', ...cors },
  );

  return Object.assign(serve, {
    async close() {
      if (handler) await (await handler.catch(() => null))?.close();
      if (ownsStore) await (await store.catch(() => null))?.close();
    },
  });
}

/** Supabase's `EdgeRuntime.waitUntil`, when the function runs there. */
function edgeRuntimeWaitUntil(): ChatHandlerOptions['waitUntil'] {
  // Vercel's Edge runtime also has an `EdgeRuntime` global: a string, with no `waitUntil`.
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil?: unknown } }).EdgeRuntime;
  const waitUntil = runtime?.waitUntil;
  if (typeof waitUntil !== 'function') return undefined;
  return (promise) => waitUntil.call(runtime, promise);
}

/** `/<function-name>`: the first segment of the request's path. */
function functionPath(request: Request): string {
  const [, first] = new URL(request.url).pathname.split('/');
  return first ? `/${first}` : '';
}

function allowedOrigins(): string[] | undefined {
  const listed = readEnvironment('CONFAB_ALLOWED_ORIGINS')
    ?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return listed && listed.length > 0 ? listed : undefined;
}
