import type * as z from 'zod/mini';
import { ConfabError, isAbortError, toConfabError } from '../errors/confab-error';
import {
  deleteMessageResultSchema,
  messagePageSchema,
  modelListSchema,
  sendMessageResultSchema,
  stopResultSchema,
  threadPageSchema,
  versionListSchema,
} from '../schemas/api';
import { errorBodySchema } from '../schemas/error-body';
import type { ListMessagesQuery, ListThreadsQuery } from '../schemas/requests';
import { threadSchema } from '../schemas/thread';
import { type ParsedChunk, parseChunkBatches } from '../stream/parse-chunk-stream';
import type { ChatBackend } from './chat-backend';

type HeadersValue = Record<string, string> | Headers;

export interface HttpBackendOptions {
  /** Where the chat API is mounted, e.g. `https://example.com/api/chat` or `/api/chat`. */
  baseUrl: string;
  /** Extra headers for every request, or a function that returns them (may be async). */
  headers?: HeadersValue | (() => HeadersValue | Promise<HeadersValue>);
  /** Returns the bearer token for the `Authorization` header; null sends none. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds to wait for a response's headers, per attempt. Default 30 s. */
  timeout?: number;
  /** Attempts after the first for idempotent requests (GET, PATCH, DELETE, sends with an id). */
  retries?: number;
}

/** Statuses worth another attempt: the server may answer the same request well a moment later. */
const retryStatusCodes = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);

interface Sent {
  response: Response;
  release: () => void;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: object;
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** False for requests that may run as long as a whole answer. */
  timeout?: boolean;
  /** Whether the request may be sent again: it changes nothing the second time. */
  idempotent: boolean;
}

/**
 * A `ChatBackend` that talks to a Confab server over HTTP and SSE.
 *
 * Plain `fetch` rather than a request library: the backend needs a timeout per attempt, retries
 * of idempotent requests with backoff and the error mapping below, about a hundred lines that an
 * app would otherwise ship a library for in the headless layer it wants small.
 */
export function httpBackend(options: HttpBackendOptions): ChatBackend {
  const retries = options.retries ?? 2;
  const timeout = options.timeout ?? 30_000;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function headersFor(call: Call): Promise<Headers> {
    const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
    const headers = new Headers(extra);
    headers.set('accept', call.accept ?? 'application/json');
    for (const [key, value] of Object.entries(call.headers ?? {})) headers.set(key, value);
    if (call.body !== undefined) headers.set('content-type', 'application/json');
    const token = await options.getToken?.();
    if (token) headers.set('authorization', `Bearer ${token}`);
    return headers;
  }

  /**
   * Sends a request, retrying it when allowed, and turns every failure into a ConfabError.
   * `release` stops the caller's signal from aborting the response: call it once the body is read.
   */
  async function send(call: Call): Promise<Sent> {
    const query = call.query ? searchParams(call.query).toString() : '';
    const url = `${baseUrl}/${call.path}${query ? `?${query}` : ''}`;
    const headers = await headersFor(call);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const attempts = 1 + (call.idempotent ? retries : 0);
    for (let attempt = 1; ; attempt++) {
      let sent: Sent;
      try {
        sent = await attemptFetch(url, { method: call.method, headers, body }, call);
      } catch (error) {
        const failure = fromFetchError(error, call.signal);
        if (failure.code !== 'network_error' || attempt >= attempts) throw failure;
        await wait(backoff(attempt), call.signal);
        continue;
      }
      const { response, release } = sent;
      if (response.ok) return sent;
      // A server that asks for a longer wait than a request may take gets its answer to the app,
      // whose error carries `retryAfter`, instead of a request that hangs that long.
      const delay = retryAfter(response) ?? backoff(attempt);
      try {
        if (attempt >= attempts || !retryStatusCodes.has(response.status) || delay > timeout) {
          throw await fromResponse(response);
        }
        response.body?.cancel().catch(() => {});
      } finally {
        release();
      }
      await wait(delay, call.signal);
    }
  }

  /** One fetch, aborted by the caller's signal or, until the response's headers, the timeout. */
  async function attemptFetch(url: string, init: RequestInit, call: Call): Promise<Sent> {
    const controller = new AbortController();
    const abort = () => controller.abort(call.signal?.reason);
    const release = () => call.signal?.removeEventListener('abort', abort);
    if (call.signal?.aborted) abort();
    call.signal?.addEventListener('abort', abort, { once: true });
    let timedOut = false;
    const timer =
      call.timeout === false
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeout);
    try {
      const response = await (options.fetch ?? globalThis.fetch)(url, {
        ...init,
        signal: controller.signal,
      });
      return { response, release };
    } catch (error) {
      release();
      if (timedOut) {
        throw new ConfabError('timeout', 'The server did not answer in time.', { cause: error });
      }
      throw error;
    } finally {
      // Until the headers only: the caller's signal, until released, aborts a body being read.
      clearTimeout(timer);
    }
  }

  async function request<T extends z.ZodMiniType>(schema: T, call: Call): Promise<z.infer<T>> {
    const { response, release } = await send(call);
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new ConfabError('invalid_response', 'The server answered with invalid JSON.', {
        cause,
      });
    } finally {
      release();
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      throw new ConfabError('invalid_response', 'The server answered with an unexpected shape.', {
        cause: result.error,
      });
    }
    return result.data;
  }

  const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');

  /** Sends a request whose answer is an SSE stream and reads its chunks as they arrive. */
  async function stream(call: Call): Promise<AsyncIterable<ParsedChunk[]>> {
    const { response, release } = await send({ ...call, accept: 'text/event-stream' });
    if (!response.body) {
      release();
      throw new ConfabError('invalid_response', 'The stream has no body.');
    }
    return readChunks(parseChunkBatches(response.body), release);
  }

  return {
    listThreads(query: ListThreadsQuery = {}, { signal } = {}) {
      return request(threadPageSchema, {
        method: 'GET',
        path: 'threads',
        query,
        signal,
        idempotent: true,
      });
    },
    createThread(body = {}, { signal } = {}) {
      return request(threadSchema, {
        method: 'POST',
        path: 'threads',
        body,
        signal,
        idempotent: Boolean(body.id),
      });
    },
    getThread(threadId, { signal } = {}) {
      return request(threadSchema, {
        method: 'GET',
        path: path('threads', threadId),
        signal,
        idempotent: true,
      });
    },
    updateThread(threadId, body, { signal } = {}) {
      return request(threadSchema, {
        method: 'PATCH',
        path: path('threads', threadId),
        body,
        signal,
        idempotent: true,
      });
    },
    async deleteThread(threadId, { signal } = {}) {
      const { response, release } = await send({
        method: 'DELETE',
        path: path('threads', threadId),
        signal,
        idempotent: true,
      });
      response.body?.cancel().catch(() => {});
      release();
    },
    listMessages(threadId, query: ListMessagesQuery = {}, { signal } = {}) {
      return request(messagePageSchema, {
        method: 'GET',
        path: path('threads', threadId, 'messages'),
        query,
        signal,
        idempotent: true,
      });
    },
    async listVersions(threadId, messageId, { signal } = {}) {
      const versions = await request(versionListSchema, {
        method: 'GET',
        path: path('threads', threadId, 'messages', messageId, 'versions'),
        signal,
        idempotent: true,
      });
      return versions.items;
    },
    setLeaf(threadId, body, { signal } = {}) {
      return request(messagePageSchema, {
        method: 'PUT',
        path: path('threads', threadId, 'leaf'),
        body,
        signal,
        idempotent: true,
      });
    },
    deleteMessage(threadId, messageId, { signal } = {}) {
      return request(deleteMessageResultSchema, {
        method: 'DELETE',
        path: path('threads', threadId, 'messages', messageId),
        signal,
        // A second attempt after the first deleted it would answer 404.
        idempotent: false,
      });
    },
    forkThread(threadId, body, { signal } = {}) {
      return request(threadSchema, {
        method: 'POST',
        path: path('threads', threadId, 'fork'),
        body,
        signal,
        idempotent: Boolean(body.id),
      });
    },
    async exportThread(threadId, query = {}, { signal } = {}) {
      const format = query.format ?? 'json';
      const { response, release } = await send({
        method: 'GET',
        path: path('threads', threadId, 'export'),
        query: { format },
        accept: format === 'json' ? 'application/json' : 'text/markdown',
        signal,
        timeout: false,
        idempotent: true,
      });
      try {
        const blob = await response.blob();
        const type = response.headers.get('content-type') ?? blob.type;
        const fallback = `thread.${format === 'json' ? 'json' : 'md'}`;
        return new File([blob], fileName(response.headers.get('content-disposition')) ?? fallback, {
          type,
        });
      } catch (cause) {
        throw new ConfabError('network_error', 'The export was interrupted.', { cause });
      } finally {
        release();
      }
    },
    importThread(data, { signal } = {}) {
      return request(threadSchema, {
        method: 'POST',
        path: 'thread-imports',
        body: data,
        signal,
        idempotent: false,
      });
    },
    sendMessage(threadId, body, { signal } = {}) {
      // Only a request with a client-chosen id can be retried without storing it twice.
      return stream({
        method: 'POST',
        path: path('threads', threadId, 'messages'),
        body,
        signal,
        idempotent: Boolean(body.id),
      });
    },
    sendMessageAndWait(threadId, body, { signal } = {}) {
      return request(sendMessageResultSchema, {
        method: 'POST',
        path: path('threads', threadId, 'messages'),
        body,
        signal,
        timeout: false,
        idempotent: Boolean(body.id),
      });
    },
    followThread(threadId, { after, signal } = {}) {
      return stream({
        method: 'GET',
        path: path('threads', threadId, 'events'),
        headers: after ? { 'last-event-id': after } : {},
        signal,
        idempotent: true,
      });
    },
    regenerateMessage(threadId, messageId, body = {}, { signal } = {}) {
      return stream({
        method: 'POST',
        path: path('threads', threadId, 'messages', messageId, 'regenerate'),
        body,
        signal,
        idempotent: Boolean(body.id),
      });
    },
    stopGeneration(threadId, body = {}, { signal } = {}) {
      // Stopping a run twice stops it once.
      return request(stopResultSchema, {
        method: 'POST',
        path: path('threads', threadId, 'stop'),
        body,
        signal,
        idempotent: true,
      });
    },
    listModels({ signal } = {}) {
      return request(modelListSchema, { method: 'GET', path: 'models', signal, idempotent: true });
    },
  };
}

function searchParams(query: object) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
}

/** The file name a `content-disposition` header gives (`filename*=` preferred), if any. */
function fileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // A malformed name: fall back to the plain one.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/.exec(header)?.[1]?.trim();
}

/** Milliseconds before attempt `attempt + 1`: 0.3 s, 0.6 s, 1.2 s, … */
const backoff = (attempt: number) => 300 * 2 ** (attempt - 1);

/** The server's `Retry-After` (seconds or a date) in milliseconds, when it sent one. */
function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  const milliseconds = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(milliseconds) ? Math.max(0, milliseconds) : undefined;
}

function wait(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      done();
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** The ConfabError of an answer that is not 2xx: the server's error body when it sent one. */
async function fromResponse(response: Response): Promise<ConfabError> {
  const status = response.status;
  let data: unknown;
  try {
    data = JSON.parse(await response.text());
  } catch {
    data = undefined;
  }
  const body = errorBodySchema.safeParse(data);
  if (body.success) return ConfabError.fromBody(body.data, status);
  const code = status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'internal_error';
  return new ConfabError(code, `The server answered ${status} ${response.statusText}.`, {
    status,
  });
}

/** A fetch that threw: aborted by the caller, timed out, or the server could not be reached. */
function fromFetchError(error: unknown, signal: AbortSignal | undefined): ConfabError {
  if (ConfabError.isInstance(error)) return error;
  if (signal?.aborted || isAbortError(error)) return abortError(signal, error);
  return new ConfabError('network_error', 'The server could not be reached.', { cause: error });
}

function abortError(signal: AbortSignal | undefined, cause: unknown = signal?.reason): ConfabError {
  return ConfabError.isInstance(cause)
    ? cause
    : new ConfabError('aborted', 'The request was aborted.', { cause });
}

/** Reads a chunk stream as an async iterable of batches, converting failures to ConfabErrors. */
async function* readChunks(
  stream: ReadableStream<ParsedChunk[]>,
  release: () => void,
): AsyncGenerator<ParsedChunk[]> {
  const reader = stream.getReader();
  try {
    while (true) {
      let result: ReadableStreamReadResult<ParsedChunk[]>;
      try {
        result = await reader.read();
      } catch (error) {
        throw ConfabError.isInstance(error) || isAbortError(error)
          ? toConfabError(error)
          : new ConfabError('network_error', 'The stream was interrupted.', { cause: error });
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    reader.cancel().catch(() => {});
    release();
  }
}
