import { parseChunkStream } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import { createChatHandler } from '../handler/create-chat-handler';
import { memoryStore } from '../store/memory-store';
import { describeAdapterContract } from '../testing/adapter-contract';
import { scriptedModel } from '../testing/scripted-model';
import { withCors } from './cors';

const appOrigin = 'https://app.example.com';

// The whole contract through the CORS layer, called as the app's page would call it: every
// answer, errors and streams included, must be readable by that page.
describeAdapterContract('Supabase Edge Function (CORS)', async (handler) => ({
  fetch: async (request) => {
    request.headers.set('origin', appOrigin);
    const response = await withCors(handler, { origins: [appOrigin] })(request);
    expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    return response;
  },
  close: async () => {},
}));

function chat() {
  return createChatHandler({
    store: memoryStore(),
    model: scriptedModel({ pieces: ['Hello', ' there'] }),
    auth: devAuth({ defaultUser: null }),
    basePath: '/chat',
  });
}

const preflight = (origin: string, method = 'POST') =>
  new Request('http://localhost/chat/threads', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type, last-event-id',
    },
  });

describe('withCors', () => {
  it('answers a preflight from an allowed origin with the methods and headers the client uses', async () => {
    const serve = withCors(chat(), { origins: [appOrigin, 'http://localhost:3000'] });
    const response = await serve(preflight(appOrigin, 'PATCH'));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(response.headers.get('vary')).toBe('Origin');
    const methods = response.headers.get('access-control-allow-methods')!.split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
    const headers = response.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(headers).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'last-event-id', 'apikey']),
    );
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);

    const second = await serve(preflight('http://localhost:3000'));
    expect(second.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('refuses an origin that is not allowed, preflight or not, without calling the API', async () => {
    const store = memoryStore();
    const handler = createChatHandler({
      store,
      model: scriptedModel(),
      auth: devAuth(),
      basePath: '/chat',
    });
    const serve = withCors(handler, { origins: appOrigin });
    const refusedPreflight = await serve(preflight('https://evil.example'));
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await refusedPreflight.json()).error.code).toBe('forbidden');

    const refusedPost = await serve(
      new Request('http://localhost/chat/threads', {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(refusedPost.status).toBe(403);
    expect((await store.listThreads({ userId: 'demo' }, { limit: 10 })).items).toEqual([]);
  });

  it('allows any origin by default, and leaves requests without an origin alone', async () => {
    const serve = withCors(chat());
    const response = await serve(preflight('https://anywhere.example'));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');

    const server = await serve(
      new Request('http://localhost/chat/health', { headers: { 'x-confab-user': 'ada' } }),
    );
    expect(server.status).toBe(200);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('streams an answer to the page with the CORS headers, and exposes retry-after', async () => {
    const serve = withCors(chat(), { origins: (origin) => origin.endsWith('.example.com') });
    const headers = {
      origin: appOrigin,
      'x-confab-user': 'ada',
      'content-type': 'application/json',
    };
    const created = await serve(
      new Request('http://localhost/chat/threads', { method: 'POST', headers, body: '{}' }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const thread = await created.json();

    const streamed = await serve(
      new Request(`http://localhost/chat/threads/${thread.id}/messages`, {
        method: 'POST',
        headers: { ...headers, accept: 'text/event-stream' },
        body: JSON.stringify({ text: 'Hi' }),
      }),
    );
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(streamed.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(streamed.headers.get('access-control-expose-headers')).toContain('retry-after');
    const text: string[] = [];
    for await (const { chunk } of parseChunkStream(streamed.body!)) {
      if (chunk.type === 'text-delta') text.push(chunk.delta);
    }
    expect(text.join('')).toBe('Hello there');
  });
});
