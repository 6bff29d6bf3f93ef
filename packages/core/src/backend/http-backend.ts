import ky, { isHTTPError, isNetworkError, isTimeoutError, type KyInstance } from 'ky';
import type { z } from 'zod';
import { ConfabError, isAbortError, toConfabError } from '../errors/confab-error';
import {
  type ListMessagesQuery,
  type ListThreadsQuery,
  messagePageSchema,
  modelListSchema,
  sendMessageResultSchema,
  stopResultSchema,
  threadPageSchema,
} from '../schemas/api';
import { errorBodySchema } from '../schemas/error-body';
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

const retryStatusCodes = [408, 429, 500, 502, 503, 504];

/** A `ChatBackend` that talks to a Confab server over HTTP and SSE. */
export function httpBackend(options: HttpBackendOptions): ChatBackend {
  const retries = options.retries ?? 2;
  const api: KyInstance = ky.create({
    prefix: options.baseUrl,
    timeout: options.timeout ?? 30_000,
    fetch: options.fetch,
    retry: {
      limit: retries,
      methods: ['get', 'patch', 'delete', 'put', 'head'],
      statusCodes: retryStatusCodes,
    },
    hooks: {
      beforeRequest: [
        async ({ request }) => {
          const extra =
            typeof options.headers === 'function' ? await options.headers() : options.headers;
          if (extra) {
            for (const [key, value] of new Headers(extra)) request.headers.set(key, value);
          }
          const token = await options.getToken?.();
          if (token) request.headers.set('authorization', `Bearer ${token}`);
        },
      ],
    },
  });

  async function request<T extends z.ZodType>(
    schema: T,
    run: () => Promise<Response>,
  ): Promise<z.infer<T>> {
    const response = await send(run);
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new ConfabError('invalid_response', 'The server answered with invalid JSON.', {
        cause,
      });
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

  /** Posts a request that starts a run and reads the run's chunks as they stream. */
  async function stream(
    url: string,
    body: { id?: string | undefined },
    signal: AbortSignal | undefined,
  ): Promise<AsyncIterable<ParsedChunk[]>> {
    const response = await send(() =>
      api.post(url, {
        json: body,
        signal,
        headers: { accept: 'text/event-stream' },
        // Only a request with a client-chosen id can be retried without storing it twice.
        retry: body.id ? { limit: retries, methods: ['post'], statusCodes: retryStatusCodes } : 0,
      }),
    );
    if (!response.body) throw new ConfabError('invalid_response', 'The stream has no body.');
    return readChunks(parseChunkBatches(response.body));
  }

  return {
    listThreads(query: ListThreadsQuery = {}, { signal } = {}) {
      return request(threadPageSchema, () =>
        api.get('threads', { searchParams: searchParams(query), signal }),
      );
    },
    createThread(body = {}, { signal } = {}) {
      const retry = body.id ? { limit: retries, methods: ['post' as const] } : 0;
      return request(threadSchema, () => api.post('threads', { json: body, signal, retry }));
    },
    getThread(threadId, { signal } = {}) {
      return request(threadSchema, () => api.get(path('threads', threadId), { signal }));
    },
    updateThread(threadId, body, { signal } = {}) {
      return request(threadSchema, () =>
        api.patch(path('threads', threadId), { json: body, signal }),
      );
    },
    async deleteThread(threadId, { signal } = {}) {
      await send(() => api.delete(path('threads', threadId), { signal }));
    },
    listMessages(threadId, query: ListMessagesQuery = {}, { signal } = {}) {
      return request(messagePageSchema, () =>
        api.get(path('threads', threadId, 'messages'), {
          searchParams: searchParams(query),
          signal,
        }),
      );
    },
    sendMessage(threadId, body, { signal } = {}) {
      return stream(path('threads', threadId, 'messages'), body, signal);
    },
    sendMessageAndWait(threadId, body, { signal } = {}) {
      return request(sendMessageResultSchema, () =>
        api.post(path('threads', threadId, 'messages'), {
          json: body,
          signal,
          timeout: false,
          headers: { accept: 'application/json' },
          retry: body.id ? { limit: retries, methods: ['post'], statusCodes: retryStatusCodes } : 0,
        }),
      );
    },
    async followThread(threadId, { after, signal } = {}) {
      const response = await send(() =>
        api.get(path('threads', threadId, 'events'), {
          signal,
          headers: { accept: 'text/event-stream', ...(after ? { 'last-event-id': after } : {}) },
        }),
      );
      if (!response.body) throw new ConfabError('invalid_response', 'The stream has no body.');
      return readChunks(parseChunkBatches(response.body));
    },
    regenerateMessage(threadId, messageId, body = {}, { signal } = {}) {
      return stream(path('threads', threadId, 'messages', messageId, 'regenerate'), body, signal);
    },
    stopGeneration(threadId, body = {}, { signal } = {}) {
      return request(stopResultSchema, () =>
        api.post(path('threads', threadId, 'stop'), {
          json: body,
          signal,
          retry: { limit: retries, methods: ['post'] },
        }),
      );
    },
    listModels({ signal } = {}) {
      return request(modelListSchema, () => api.get('models', { signal }));
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

/** Runs a ky request and turns every failure into a ConfabError. */
async function send(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    throw await fromKyError(error);
  }
}

async function fromKyError(error: unknown): Promise<ConfabError> {
  if (isHTTPError(error)) {
    const status = error.response.status;
    const body = errorBodySchema.safeParse(error.data);
    if (body.success) return ConfabError.fromBody(body.data, status);
    const code = status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'internal_error';
    return new ConfabError(code, `The server answered ${status} ${error.response.statusText}.`, {
      status,
    });
  }
  if (isTimeoutError(error)) {
    return new ConfabError('timeout', 'The server did not answer in time.', { cause: error });
  }
  if (isNetworkError(error)) {
    return new ConfabError('network_error', 'The server could not be reached.', { cause: error });
  }
  if (isAbortError(error)) return toConfabError(error);
  if (error instanceof TypeError) {
    return new ConfabError('network_error', 'The server could not be reached.', { cause: error });
  }
  return toConfabError(error);
}

/** Reads a chunk stream as an async iterable of batches, converting failures to ConfabErrors. */
async function* readChunks(stream: ReadableStream<ParsedChunk[]>): AsyncGenerator<ParsedChunk[]> {
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
  }
}
