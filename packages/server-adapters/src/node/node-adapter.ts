import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { textBodyOf } from '../events/text-body';
import { requestBody, settleUnreadBody } from './request-body';

export type FetchHandler = (request: Request) => Response | Promise<Response>;

interface ParsedBodyRequest extends IncomingMessage {
  /** Set by body-parsing middleware (express.json()) that consumed the stream before us. */
  body?: unknown;
}

/**
 * Converts a Node request to a Fetch `Request`. Its signal aborts when the client disconnects
 * before the response is finished. A body already read by a body parser is re-encoded.
 */
export function toFetchRequest(request: ParsedBodyRequest, response: ServerResponse): Request {
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const url = new URL(request.url ?? '/', `${encrypted ? 'https' : 'http'}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  const method = request.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    if (request.body !== undefined && request.readableEnded) {
      const parsed = request.body;
      init.body =
        typeof parsed === 'string'
          ? parsed
          : parsed instanceof Uint8Array
            ? new Uint8Array(parsed)
            : JSON.stringify(parsed);
      headers.delete('content-length');
    } else {
      init.body = requestBody(request);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

/**
 * Writes a Fetch `Response` to a Node response, streaming the body with back-pressure: when the
 * socket's buffer is full, reading waits for `drain`. Stops reading when the client goes away.
 */
export async function sendFetchResponse(response: Response, target: ServerResponse): Promise<void> {
  settleUnreadBody(target);
  target.statusCode = response.status;
  if (response.statusText) target.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') target.setHeader(name, value);
  });
  if (cookies.length > 0) target.setHeader('set-cookie', cookies);
  if (!response.body) {
    target.end();
    return;
  }
  target.flushHeaders();
  // One of our SSE streams: read what its web stream holds, then it writes straight to `target`.
  const textBody = textBodyOf(response);
  textBody?.detach();
  const reader = response.body.getReader();
  const closed = new Promise<void>((resolve) => target.once('close', resolve));
  let gone = false;
  let attached = false;
  closed.then(() => {
    gone = true;
    reader.cancel().catch(() => {});
    textBody?.cancel();
  });
  try {
    while (!gone) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!target.write(value)) await Promise.race([once(target, 'drain'), closed]);
    }
    if (textBody && !gone) {
      // No waiting for `drain` from here on: the body bounds what it leaves unsent in
      // `target`'s buffer (`writableLength`) as it bounded its web stream's queue.
      textBody.attach({
        write: (text) => {
          if (target.writableEnded || target.destroyed) return 0;
          target.write(text);
          return target.writableLength;
        },
        end: () => {
          if (!target.writableEnded) target.end();
        },
      });
      attached = true;
    }
  } catch {
    // The client disconnected or the body failed; there is nobody left to tell.
  } finally {
    if (!attached && !target.writableEnded) target.end();
  }
}

/** A `(req, res)` listener for `http.createServer` that serves a fetch-style handler. */
export function toNodeListener(handler: FetchHandler) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let result: Response;
    try {
      result = await handler(toFetchRequest(request, response));
    } catch (error) {
      console.error('[confab]', error);
      result = new Response(
        JSON.stringify({
          error: { code: 'internal_error', message: 'Something went wrong on the server.' },
        }),
        { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' } },
      );
    }
    await sendFetchResponse(result, response);
  };
}
