import { ConfabError } from '@confab/core';
import { errorResponse } from './http';

/** A fetch-style server function, as `Deno.serve` takes. */
export type FetchFunction = (request: Request) => Promise<Response>;

export interface CorsOptions {
  /**
   * The origins (`https://app.example.com`) whose pages may call the API, `'*'` for any, or a
   * test. Default `'*'`: the API reads a bearer token, never cookies, so a page from another
   * origin gets nothing without the user's token.
   */
  origins?: '*' | string | string[] | ((origin: string) => boolean);
  /** Request headers allowed besides Confab's and supabase-js's. */
  allowHeaders?: string[];
  /** Response headers readable by the page besides Confab's. */
  exposeHeaders?: string[];
  /** How long browsers may cache a preflight answer, in seconds. Default 600. */
  maxAgeSeconds?: number;
}

/** What Confab's client sends, plus what supabase-js adds to `functions.invoke()`. */
const defaultAllowHeaders = [
  'authorization',
  'content-type',
  'last-event-id',
  'apikey',
  'x-client-info',
];
/** `retry-after` tells the client how long to wait after a 429; `confab-protocol` the version. */
const defaultExposeHeaders = ['retry-after', 'confab-protocol'];
const allowMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/** Allows every origin; answers carry `*`, which does not depend on the request's origin. */
const anyOrigin = () => true;

/**
 * Lets browser pages on other origins call `handler` (a Supabase Edge Function is always on
 * another origin than the app): answers preflight requests, adds the CORS headers to every
 * response, streams included, and refuses origins that are not allowed with 403. Requests
 * without an `Origin` (servers, curl) pass through unchanged.
 */
export function withCors(
  handler: (request: Request) => Response | Promise<Response>,
  options: CorsOptions = {},
): FetchFunction {
  const allows = originTest(options.origins ?? '*');
  const allowHeaders = [...defaultAllowHeaders, ...(options.allowHeaders ?? [])].join(', ');
  const exposeHeaders = [...defaultExposeHeaders, ...(options.exposeHeaders ?? [])].join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);

  const originHeaders = (origin: string): Record<string, string> =>
    allows === anyOrigin
      ? { 'access-control-allow-origin': '*' }
      : { 'access-control-allow-origin': origin, vary: 'Origin' };

  return async (request) => {
    const origin = request.headers.get('origin');
    if (origin === null) return handler(request);
    if (!allows(origin)) {
      return errorResponse(
        new ConfabError('forbidden', `Requests from ${origin} are not allowed.`),
        allows === anyOrigin ? {} : { vary: 'Origin' },
      );
    }
    if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
      return new Response(null, {
        status: 204,
        headers: {
          ...originHeaders(origin),
          'access-control-allow-methods': allowMethods,
          'access-control-allow-headers': allowHeaders,
          'access-control-max-age': maxAge,
        },
      });
    }
    const response = await handler(request);
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(originHeaders(origin))) {
      if (name === 'vary') headers.append(name, value);
      else headers.set(name, value);
    }
    headers.set('access-control-expose-headers', exposeHeaders);
    // The same body stream: a streaming answer keeps streaming, and cancelling it still reaches
    // the handler.
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function originTest(origins: NonNullable<CorsOptions['origins']>): (origin: string) => boolean {
  if (typeof origins === 'function') return origins;
  if (origins === '*') return anyOrigin;
  const allowed = new Set(
    (typeof origins === 'string' ? [origins] : origins).map((origin) =>
      origin.trim().replace(/\/+$/, '').toLowerCase(),
    ),
  );
  if (allowed.has('*')) return anyOrigin;
  return (origin) => allowed.has(origin.toLowerCase());
}
