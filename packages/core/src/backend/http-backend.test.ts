import { getEventListeners } from 'node:events';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfabError } from '../errors/confab-error';
import type { StreamChunk } from '../schemas/chunk';
import type { Thread } from '../schemas/thread';
import { encodeSseEvent } from '../stream/encode-sse';
import type { ParsedChunk } from '../stream/parse-chunk-stream';
import { httpBackend } from './http-backend';

const base = 'http://chat.test/api/chat';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const thread: Thread = {
  id: 't1',
  ownerId: 'ada',
  title: null,
  model: null,
  metadata: {},
  archived: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
};

async function failure(promise: Promise<unknown>): Promise<ConfabError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!ConfabError.isInstance(error))
    throw new Error(`expected a ConfabError, got ${String(error)}`);
  return error;
}

describe('httpBackend', () => {
  it('sends headers and the bearer token on every request', async () => {
    let seen: Headers | undefined;
    server.use(
      http.get(`${base}/threads/t1`, ({ request }) => {
        seen = request.headers;
        return HttpResponse.json(thread);
      }),
    );
    const backend = httpBackend({
      baseUrl: base,
      headers: async () => ({ 'x-tenant': 'acme' }),
      getToken: () => 'secret-token',
    });
    expect(await backend.getThread('t1')).toEqual(thread);
    expect(seen?.get('authorization')).toBe('Bearer secret-token');
    expect(seen?.get('x-tenant')).toBe('acme');
  });

  it('encodes ids in paths and passes list queries', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${base}/threads/:id/messages`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );
    await httpBackend({ baseUrl: base }).listMessages('a/b', { limit: 5, before: 'xyz' });
    expect(url?.pathname).toBe('/api/chat/threads/a%2Fb/messages');
    expect(url?.searchParams.get('limit')).toBe('5');
    expect(url?.searchParams.get('before')).toBe('xyz');
  });

  it('turns an error body into a typed ConfabError with the server status', async () => {
    server.use(
      http.get(`${base}/threads/nope`, () =>
        HttpResponse.json(
          { error: { code: 'not_found', message: 'Thread not found.' } },
          { status: 404 },
        ),
      ),
    );
    const error = await failure(httpBackend({ baseUrl: base }).getThread('nope'));
    expect(error).toMatchObject({ code: 'not_found', status: 404, message: 'Thread not found.' });
  });

  it('retries idempotent requests on 503 and succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/threads/t1`, () => {
        calls++;
        return calls < 3 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json(thread);
      }),
    );
    expect(await httpBackend({ baseUrl: base }).getThread('t1')).toEqual(thread);
    expect(calls).toBe(3);
  });

  it('waits as long as Retry-After asks, and gives up at once when that is longer than the timeout', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/threads/t1`, () => {
        calls++;
        if (calls > 1) return HttpResponse.json(thread);
        return HttpResponse.json(
          { error: { code: 'rate_limited', message: 'Slow down.', retryAfter: 0.05 } },
          { status: 429, headers: { 'retry-after': '0.05' } },
        );
      }),
      http.get(`${base}/models`, () =>
        HttpResponse.json(
          { error: { code: 'rate_limited', message: 'Come back later.', retryAfter: 120 } },
          { status: 429, headers: { 'retry-after': '120' } },
        ),
      ),
    );
    const backend = httpBackend({ baseUrl: base, timeout: 1000 });
    const started = Date.now();
    expect(await backend.getThread('t1')).toEqual(thread);
    expect(Date.now() - started).toBeLessThan(300);
    expect(calls).toBe(2);
    const error = await failure(backend.listModels());
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 120 });
  });

  it('never retries a send without a client id, and retries one with an id', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/threads/t1/messages`, () => {
        calls++;
        return new HttpResponse(null, { status: 503 });
      }),
    );
    const backend = httpBackend({ baseUrl: base, retries: 2 });
    await failure(backend.sendMessage('t1', { text: 'hi' }));
    expect(calls).toBe(1);
    calls = 0;
    await failure(backend.sendMessage('t1', { text: 'hi', id: 'm1' }));
    expect(calls).toBe(3);
  });

  it('streams SSE chunks of a send', async () => {
    const chunks: StreamChunk[] = [
      { type: 'text-delta', id: '0', delta: 'Hel' },
      { type: 'text-delta', id: '0', delta: 'lo' },
    ];
    let accept: string | null = null;
    server.use(
      http.post(`${base}/threads/t1/messages`, ({ request }) => {
        accept = request.headers.get('accept');
        const body = chunks.map((chunk, index) =>
          encodeSseEvent({ id: `4.${index + 1}`, data: JSON.stringify(chunk) }),
        );
        return new HttpResponse(`${body.join('')}data: [DONE]\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        });
      }),
    );
    const received: ParsedChunk[] = [];
    for await (const event of await httpBackend({ baseUrl: base }).sendMessage('t1', {
      text: 'hi',
    })) {
      received.push(...event);
    }
    expect(received).toEqual(chunks.map((chunk, index) => ({ id: `4.${index + 1}`, chunk })));
    expect(accept).toBe('text/event-stream');
  });

  it('posts a regeneration to its route, streams it, and retries it only with an id', async () => {
    const chunk: StreamChunk = { type: 'text-delta', id: '0', delta: 'Again' };
    const bodies: unknown[] = [];
    let failures = 1;
    server.use(
      http.post(`${base}/threads/t%201/messages/a%2F1/regenerate`, async ({ request }) => {
        bodies.push(await request.json());
        if (failures-- > 0) return new HttpResponse(null, { status: 503 });
        return new HttpResponse(
          `${encodeSseEvent({ id: '5.1', data: JSON.stringify(chunk) })}data: [DONE]\n\n`,
          { headers: { 'content-type': 'text/event-stream' } },
        );
      }),
    );
    const backend = httpBackend({ baseUrl: base, retries: 2 });
    const received: ParsedChunk[] = [];
    for await (const item of await backend.regenerateMessage('t 1', 'a/1', {
      id: 'a2',
      model: 'fast',
    })) {
      received.push(...item);
    }
    expect(received).toEqual([{ id: '5.1', chunk }]);
    expect(bodies).toEqual([
      { id: 'a2', model: 'fast' },
      { id: 'a2', model: 'fast' },
    ]);

    failures = 1;
    bodies.length = 0;
    await failure(backend.regenerateMessage('t 1', 'a/1'));
    expect(bodies).toEqual([{}]);
  });

  it('reports a server that cannot be reached as network_error', async () => {
    server.use(http.get(`${base}/models`, () => HttpResponse.error()));
    const error = await failure(httpBackend({ baseUrl: base, retries: 0 }).listModels());
    expect(error.code).toBe('network_error');
  });

  it('reports a slow server as timeout', async () => {
    server.use(
      http.get(`${base}/models`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return HttpResponse.json({ items: [], defaultModel: 'x' });
      }),
    );
    const error = await failure(
      httpBackend({ baseUrl: base, timeout: 50, retries: 0 }).listModels(),
    );
    expect(error.code).toBe('timeout');
  });

  it('times the wait for headers only: a stream may run longer than the timeout', async () => {
    const chunk: StreamChunk = { type: 'text-delta', id: '0', delta: 'slow' };
    server.use(
      http.get(`${base}/threads/t1/events`, () => {
        const encoder = new TextEncoder();
        const parts = [
          ': open\n\n',
          encodeSseEvent({ id: '1', data: JSON.stringify(chunk) }),
          'data: [DONE]\n\n',
        ];
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            // Headers and a comment at once, then the event well after the timeout.
            if (sent === 1) await new Promise((resolve) => setTimeout(resolve, 150));
            const part = parts[sent++];
            if (part === undefined) controller.close();
            else controller.enqueue(encoder.encode(part));
          },
        });
        return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    const received: ParsedChunk[] = [];
    const backend = httpBackend({ baseUrl: base, timeout: 50, retries: 0 });
    for await (const batch of await backend.followThread('t1')) received.push(...batch);
    expect(received).toEqual([{ id: '1', chunk }]);
  });

  it('retries a GET the server could not be reached for', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/models`, () => {
        calls++;
        return calls < 2
          ? HttpResponse.error()
          : HttpResponse.json({ items: [], defaultModel: 'demo' });
      }),
    );
    expect(await httpBackend({ baseUrl: base }).listModels()).toEqual({
      items: [],
      defaultModel: 'demo',
    });
    expect(calls).toBe(2);
  });

  it('leaves a long-lived signal as it found it once each answer is read', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/threads/t1`, () =>
        ++calls === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json(thread),
      ),
      http.get(`${base}/threads/t1/events`, () => new HttpResponse('data: [DONE]\n\n')),
    );
    const controller = new AbortController();
    const backend = httpBackend({ baseUrl: base });
    for (let round = 0; round < 3; round++) {
      await backend.getThread('t1', { signal: controller.signal });
      for await (const _ of await backend.followThread('t1', { signal: controller.signal })) {
        // the stream ends at once
      }
    }
    expect(calls).toBe(4);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects an answer of the wrong shape with invalid_response', async () => {
    server.use(http.get(`${base}/threads/t1`, () => HttpResponse.json({ id: 5 })));
    const error = await failure(httpBackend({ baseUrl: base }).getThread('t1'));
    expect(error.code).toBe('invalid_response');
  });

  it('reports an aborted request as aborted', async () => {
    server.use(
      http.get(`${base}/threads`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );
    const controller = new AbortController();
    const pending = httpBackend({ baseUrl: base }).listThreads({}, { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('aborted');
  });
});
