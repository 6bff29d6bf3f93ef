// @confab/core's ChatClient and httpBackend against the real handler over loopback HTTP.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatClient, ConfabError, httpBackend, messageText } from '@confab/core';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuth } from '../auth/jwt-auth';
import { toNodeListener } from '../node/node-adapter';
import { sqliteStore } from '../sqlite/sqlite-store';
import { scriptedModel, upstreamFailure } from '../testing/scripted-model';
import { type ChatHandlerOptions, createChatHandler } from './create-chat-handler';

const secret = 'integration-secret-with-enough-bytes!!';
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(options: Partial<ChatHandlerOptions> = {}) {
  const store = await sqliteStore({ filename: ':memory:' });
  const handler = createChatHandler({
    store,
    model: scriptedModel(),
    auth: jwtAuth({ secret }),
    basePath: '/api/chat',
    ...options,
  });
  const server = http.createServer(toNodeListener(handler));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
  const clientFor = (userId: string) => {
    const token = new SignJWT({ sub: userId })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    return new ChatClient({
      backend: httpBackend({ baseUrl, getToken: () => token }),
      pageSize: 4,
    });
  };
  return { handler, store, clientFor, baseUrl };
}

describe('ChatClient over HTTP', () => {
  it('creates a thread, streams an answer into state, and lists it all back', async () => {
    const { clientFor } = await serve();
    const client = clientFor('ada');
    const thread = await client.backend.createThread({ title: 'Integration' });
    // Just created: nothing to load, so the first change is the send's.
    const chat = client.thread(thread.id, { isNew: true });
    const statuses: string[] = [];
    chat.subscribe(() => statuses.push(chat.getSnapshot().status));

    const answer = await chat.send('Hello over HTTP');

    expect(answer).toMatchObject({ status: 'complete', usage: { outputTokens: 4 } });
    expect(messageText(answer!)).toBe('Hello, world!');
    expect(statuses[0]).toBe('submitted');
    expect(statuses).toContain('streaming');
    expect(statuses.at(-1)).toBe('ready');
    const state = chat.getSnapshot();
    expect(
      state.messages.map((message) => [message.role, message.status, message.sequence]),
    ).toEqual([
      ['user', 'complete', 0],
      ['assistant', 'complete', 1],
    ]);

    const threads = await client.backend.listThreads();
    expect(threads.items.map((item) => item.id)).toEqual([thread.id]);
    const reloaded = clientFor('ada').thread(thread.id);
    await reloaded.load();
    expect(reloaded.getSnapshot().messages).toEqual(state.messages);
  });

  it('pages back through history from the newest page', async () => {
    const { clientFor } = await serve({ model: scriptedModel({ pieces: ['ok'] }) });
    const client = clientFor('ada');
    const thread = await client.backend.createThread();
    for (let index = 0; index < 5; index++) {
      await client.backend.sendMessageAndWait(thread.id, { text: `question ${index}` });
    }
    const chat = clientFor('ada').thread(thread.id);
    await chat.load();
    expect(chat.getSnapshot().messages.map((message) => message.sequence)).toEqual([6, 7, 8, 9]);
    while (chat.getSnapshot().hasOlder) await chat.loadOlder();
    expect(chat.getSnapshot().messages.map((message) => message.sequence)).toEqual(
      Array.from({ length: 10 }, (_, index) => index),
    );
  });

  it('stops a long answer from the client and keeps the partial text', async () => {
    const pieces = Array.from({ length: 200 }, (_, index) => `word${index} `);
    const { clientFor } = await serve({ model: scriptedModel({ pieces, delayMs: 3 }) });
    const client = clientFor('ada');
    const thread = await client.backend.createThread();
    const chat = client.thread(thread.id);
    const sending = chat.send('long one');
    await new Promise<void>((resolve) => {
      const unsubscribe = chat.subscribe(() => {
        const last = chat.getSnapshot().messages.at(-1);
        if (last?.role === 'assistant' && messageText(last).length > 30) {
          unsubscribe();
          resolve();
        }
      });
    });
    await chat.stop();
    const answer = await sending;
    expect(answer?.status).toBe('cancelled');
    expect(messageText(answer!).length).toBeLessThan(pieces.join('').length);
    const page = await client.backend.listMessages(thread.id);
    expect(page.items[1]).toMatchObject({ status: 'cancelled', id: answer?.id });
  });

  it('retries a failed answer over HTTP by regenerating it, on SQLite', async () => {
    let calls = 0;
    const answering = scriptedModel({ pieces: ['Better', ' now'] });
    const failing = scriptedModel({ failWith: upstreamFailure, failAfter: 1 });
    const { clientFor } = await serve({
      model: {
        ...answering,
        stream: (request) => (calls++ === 0 ? failing : answering).stream(request),
      },
    });
    const client = clientFor('ada');
    const thread = await client.backend.createThread();
    const chat = client.thread(thread.id);
    const failed = await chat.send('Try this');
    expect(failed?.status).toBe('failed');
    expect(chat.getSnapshot()).toMatchObject({ status: 'error', canRetry: true });

    const answer = await chat.retry();
    expect(messageText(answer!)).toBe('Better now');
    expect(chat.getSnapshot()).toMatchObject({ status: 'ready', error: null, canRetry: false });
    expect(chat.getSnapshot().messages.map((message) => message.id)).toEqual([
      failed!.parentId,
      answer!.id,
    ]);
    // Listed and loaded again: the current branch, with the new version.
    const page = await client.backend.listMessages(thread.id);
    expect(page.items.map((message) => message.id)).toEqual([failed!.parentId, answer!.id]);
    const reloaded = clientFor('ada').thread(thread.id);
    await reloaded.load();
    expect(reloaded.getSnapshot().messages).toEqual(chat.getSnapshot().messages);

    // Another user cannot regenerate it: not found, and nothing changes.
    const bobs = clientFor('bob').thread(thread.id);
    expect(await bobs.regenerate(answer!.id)).toBeNull();
    expect(bobs.getSnapshot().error?.code).toBe('not_found');
    expect((await client.backend.listMessages(thread.id)).items).toEqual(page.items);
  });

  it("turns server errors into typed errors, and another user's thread is not found", async () => {
    const { clientFor, baseUrl } = await serve();
    const ada = clientFor('ada');
    const bob = clientFor('bob');
    const thread = await ada.backend.createThread();
    const error = await bob.backend.getThread(thread.id).catch((caught: unknown) => caught);
    expect(ConfabError.isInstance(error) && [error.code, error.status]).toEqual(['not_found', 404]);

    const chat = bob.thread(thread.id);
    expect(await chat.send('let me in')).toBeNull();
    expect(chat.getSnapshot().error?.code).toBe('not_found');
    expect((await ada.backend.listMessages(thread.id)).items).toEqual([]);

    const anonymous = httpBackend({ baseUrl });
    const unauthorized = await anonymous.listThreads().catch((caught: unknown) => caught);
    expect(ConfabError.isInstance(unauthorized) && unauthorized.code).toBe('unauthorized');
  });
});
