import { type ChatFunctionOptions, createChatFunction } from './chat-function';

/** The `Deno.serve` options serveChat passes on; Supabase needs none of them. */
export interface DenoServeOptions {
  port?: number;
  hostname?: string;
  signal?: AbortSignal;
  onListen?: (address: { hostname: string; port: number }) => void;
}

/** What `Deno.serve` returns, as far as serveChat uses it. */
export interface DenoServer {
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}

export interface ServeChatOptions extends ChatFunctionOptions {
  /** For running the function outside Supabase, e.g. `{ port: 8000 }`. */
  serve?: DenoServeOptions;
}

interface DenoServe {
  serve(options: DenoServeOptions, handler: (request: Request) => Promise<Response>): DenoServer;
}

/**
 * Serves the chat API from a Supabase Edge Function: `Deno.serve` with `createChatFunction`
 * (supabaseStore, supabaseAuth and CORS by default). When the server stops, running answers are
 * stopped and stored, and the store's connections are closed.
 *
 * ```ts
 * // supabase/functions/chat/index.ts
 * import { demoModel } from 'npm:@confab/server';
 * import { serveChat } from 'npm:@confab/server/supabase';
 *
 * serveChat({ model: demoModel() });
 * ```
 */
export function serveChat(options: ServeChatOptions): DenoServer {
  const deno = (globalThis as { Deno?: DenoServe }).Deno;
  if (typeof deno?.serve !== 'function') {
    throw new Error(
      'serveChat() runs in Deno (Supabase Edge Functions). Elsewhere, serve createChatFunction() with your runtime.',
    );
  }
  const { serve, ...functionOptions } = options;
  const chat = createChatFunction(functionOptions);
  const server = deno.serve(serve ?? {}, chat);
  server.finished
    .then(() => chat.close())
    .catch((error: unknown) => console.error('[confab]', error));
  return server;
}
