import { ConfabError } from '@confab/core';
import {
  type ChatHandler,
  type ChatHandlerOptions,
  createChatHandler,
} from '../handler/create-chat-handler';
import { errorResponse } from '../handler/http';

// Everything here is Fetch API only: the same route file runs in Next.js's Node.js and Edge
// runtimes, and nothing imports `next` (its types are matched structurally).

/** Any fetch-style handler: `createChatHandler()`'s, or your own around it. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The dynamic segments of a route: a catch-all segment (`[...confab]`) is an array. */
export type NextRouteParams = Record<string, string | string[] | undefined>;

/** The second argument Next.js gives a route handler; `params` is a Promise since Next.js 15. */
export interface NextRouteContext {
  params?: Promise<NextRouteParams> | NextRouteParams;
}

/** A route handler export (`GET`, `POST`, ...) of a `route.ts` file. */
export type NextRouteHandler = (request: Request, context?: NextRouteContext) => Promise<Response>;

/** The exports of `app/api/chat/[...confab]/route.ts`, and the handler behind them. */
export interface NextChatRoute {
  GET: NextRouteHandler;
  POST: NextRouteHandler;
  PUT: NextRouteHandler;
  PATCH: NextRouteHandler;
  DELETE: NextRouteHandler;
  /** The handler the exports call (with `idle()` and `close()` when it is a `ChatHandler`). */
  handler: ChatHandler | FetchHandler;
}

/**
 * The chat API as the exports of a catch-all Route Handler:
 *
 * ```ts
 * // app/api/chat/[...confab]/route.ts
 * export const { GET, POST, PUT, PATCH, DELETE } = chatRoute({ store, model, auth });
 * ```
 *
 * The mount path is not repeated: each request's path is split into the route's folder and the
 * catch-all segments Next.js matched, and the handler sees only the part below the folder, as it
 * does under Express. So leave `basePath` unset on a handler you pass in. Given options, a
 * `basePath` among them is kept: the handler then sees `basePath` followed by that part.
 * Called without Next.js's context (its second argument), a request goes to the handler as is.
 *
 * PUT is in the list so that it is answered with the API's JSON 405, like every other method the
 * API does not serve; HEAD and OPTIONS are left to Next.js.
 */
export function chatRoute(
  handlerOrOptions: ChatHandler | FetchHandler | ChatHandlerOptions,
): NextChatRoute {
  const handler: ChatHandler | FetchHandler =
    typeof handlerOrOptions === 'function' ? handlerOrOptions : createChatHandler(handlerOrOptions);
  const prefix =
    typeof handlerOrOptions === 'function'
      ? ''
      : (handlerOrOptions.basePath ?? '').replace(/\/+$/, '');

  const serve: NextRouteHandler = async (request, context) => {
    try {
      return await handler(await belowRouteFolder(request, context, prefix));
    } catch (error) {
      // A ChatHandler answers its own errors; a handler of yours that throws gets the same JSON
      // 500 rather than Next.js's error page.
      console.error('[confab]', error);
      return errorResponse(
        new ConfabError('internal_error', 'Something went wrong on the server.'),
      );
    }
  };

  return { GET: serve, POST: serve, PUT: serve, PATCH: serve, DELETE: serve, handler };
}

/**
 * The request with its path replaced by `prefix` and the catch-all segments. The segments are
 * taken from the request's own (still encoded) path, as many as Next.js matched, so an encoded
 * `/` or `%` in an id reaches the handler exactly as the client sent it.
 */
async function belowRouteFolder(
  request: Request,
  context: NextRouteContext | undefined,
  prefix: string,
): Promise<Request> {
  if (!context?.params) return request;
  const params = await context.params;
  // A route has at most one catch-all segment, always the last one. An optional catch-all
  // (`[[...confab]]`) requested at its folder has no value at all: nothing below the folder.
  const catchAll = Object.values(params).find((value) => Array.isArray(value)) ?? [];
  const url = new URL(request.url);
  const segments = url.pathname.split('/').filter(Boolean);
  if (catchAll.length > segments.length) return request;
  const below = segments.slice(segments.length - catchAll.length);
  const pathname = `${prefix}/${below.join('/')}`;
  if (pathname === url.pathname) return request;
  url.pathname = pathname;
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
  };
  if (request.body) {
    init.body = request.body;
    init.duplex = 'half';
  }
  return new Request(url, init);
}
