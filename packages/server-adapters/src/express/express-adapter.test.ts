import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageText, parseChunkStream } from '@confab/core';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import { createChatHandler } from '../handler/create-chat-handler';
import { memoryStore } from '../store/memory-store';
import { describeAdapterContract } from '../testing/adapter-contract';
import { gatedModel } from '../testing/gated-model';
import { describeKeepAliveAfterEarlyAnswer } from '../testing/keep-alive-contract';
import { scriptedModel } from '../testing/scripted-model';
import { chatMiddleware } from './express-adapter';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(app: http.RequestListener): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Re-addresses a request built for http://localhost to a real server. */
function readdress(request: Request, origin: string): Request {
  const url = new URL(request.url);
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  };
  if (request.body) init.duplex = 'half';
  return new Request(`${origin}${url.pathname}${url.search}`, init);
}

describeAdapterContract('express', async (handler) => {
  const app = express();
  app.use(chatMiddleware(handler));
  const origin = await listen(app);
  return { fetch: (request) => fetch(readdress(request, origin)), close: async () => {} };
});

describeKeepAliveAfterEarlyAnswer('express', (handler) => {
  const app = express();
  app.use(chatMiddleware(handler));
  return app;
});

describe('chatMiddleware', () => {
  it('serves the API below the mount point of a router, behind express.json()', async () => {
    const app = express();
    const router = express.Router();
    router.use(express.json());
    router.use(
      '/chat',
      chatMiddleware({ store: memoryStore(), model: scriptedModel(), auth: devAuth() }),
    );
    app.use('/api', router);
    const origin = await listen(app);

    const created = await fetch(`${origin}/api/chat/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Via router' }),
    });
    expect(created.status).toBe(201);
    const thread = await created.json();
    expect(thread).toMatchObject({ title: 'Via router', ownerId: 'demo' });

    const sent = await fetch(`${origin}/api/chat/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text: 'hello' }),
    });
    expect(sent.status).toBe(200);
    expect(messageText((await sent.json()).message)).toBe('Hello, world!');
  });

  it('streams each chunk to the client as soon as it is produced', async () => {
    const { model, release } = gatedModel();
    const app = express();
    app.use('/api/chat', chatMiddleware({ store: memoryStore(), model, auth: devAuth() }));
    const origin = await listen(app);
    const thread = await (await fetch(`${origin}/api/chat/threads`, { method: 'POST' })).json();

    const response = await fetch(`${origin}/api/chat/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'go' }),
    });
    const reader = parseChunkStream(response.body!).getReader();
    const types: string[] = [];
    while (!types.includes('text-delta')) types.push((await reader.read()).value!.chunk.type);
    // The first delta arrived while the model is still blocked on the gate.
    expect(types).toEqual([
      'message-created',
      'thread-updated',
      'message-created',
      'run-started',
      'text-start',
      'text-delta',
    ]);
    release();
    const rest: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read())
      rest.push(next.value.chunk.type);
    expect(rest).toEqual([
      'text-delta',
      'text-end',
      'message-updated',
      'thread-updated',
      'run-finished',
    ]);
  });

  it('aborts the request signal when the client disconnects', async () => {
    let seen: AbortSignal | undefined;
    let cancelled = false;
    const app = express();
    app.use(
      chatMiddleware(async (request: Request) => {
        seen = request.signal;
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(': open\n\n'));
          },
          cancel() {
            cancelled = true;
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    const origin = await listen(app);
    const controller = new AbortController();
    const response = await fetch(`${origin}/stream`, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await expect.poll(() => seen?.aborted, { timeout: 2000 }).toBe(true);
    await expect.poll(() => cancelled, { timeout: 2000 }).toBe(true);
  });

  it('reads the response body only as fast as the client takes it (back-pressure)', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const total = 32 * 1024 * 1024;
    let pulled = 0;
    const app = express();
    app.use(
      chatMiddleware(
        async () =>
          new Response(
            new ReadableStream<Uint8Array>(
              {
                pull(controller) {
                  if (pulled >= total) return controller.close();
                  pulled += chunk.byteLength;
                  controller.enqueue(chunk);
                },
              },
              { highWaterMark: 0 },
            ),
          ),
      ),
    );
    const origin = await listen(app);
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${origin}/big`, resolve),
    );
    response.pause();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const pulledWhilePaused = pulled;
    expect(pulledWhilePaused).toBeLessThan(total / 2);
    let received = 0;
    response.on('data', (data: Buffer) => {
      received += data.byteLength;
    });
    response.resume();
    await once(response, 'end');
    expect(received).toBe(total);
  });

  it('keeps streaming an answer to completion when the client goes away', async () => {
    const store = memoryStore();
    const handler = createChatHandler({
      store,
      model: scriptedModel({
        pieces: Array.from({ length: 20 }, (_, index) => `${index} `),
        delayMs: 5,
      }),
      auth: devAuth(),
    });
    const app = express();
    app.use('/api/chat', chatMiddleware(handler));
    const origin = await listen(app);
    const thread = await (await fetch(`${origin}/api/chat/threads`, { method: 'POST' })).json();
    const controller = new AbortController();
    const response = await fetch(`${origin}/api/chat/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'go' }),
      signal: controller.signal,
    });
    await response.body!.getReader().read();
    controller.abort();
    await handler.idle();
    const page = await store.listMessages({ userId: 'demo' }, thread.id, { limit: 10 });
    expect(page?.items[1]?.status).toBe('complete');
    expect(messageText(page!.items[1]!)).toBe(
      Array.from({ length: 20 }, (_, index) => `${index} `).join(''),
    );
  });
});
