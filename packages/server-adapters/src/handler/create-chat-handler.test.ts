import {
  ConfabError,
  type Message,
  messageSchema,
  messageText,
  parseChunkStream,
  type StreamChunk,
  threadSchema,
} from '@confab/core';
import { describe, expect, it } from 'vitest';
import type { ChatModel, ModelRequest } from '../models/chat-model';
import { memoryStore } from '../store/memory-store';
import { scriptedModel, upstreamFailure } from '../testing/scripted-model';
import { finalAnswer, testApp } from '../testing/test-app';
import { createChatHandler } from './create-chat-handler';

describe('threads', () => {
  it('creates, reads, renames, archives and deletes a thread', async () => {
    const app = testApp();
    const created = await app.call('POST', '/threads', {
      body: { title: 'Plans', metadata: { color: 'blue' } },
    });
    expect(created.status).toBe(201);
    const thread = threadSchema.parse(created.json);
    expect(thread).toMatchObject({
      title: 'Plans',
      ownerId: 'ada',
      metadata: { color: 'blue' },
      archived: false,
    });

    expect((await app.call('GET', `/threads/${thread.id}`)).json).toEqual(thread);

    const renamed = await app.call('PATCH', `/threads/${thread.id}`, {
      body: { title: 'Trips', model: 'scripted-large' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({
      title: 'Trips',
      model: 'scripted-large',
      metadata: { color: 'blue' },
    });

    await app.call('PATCH', `/threads/${thread.id}`, { body: { archived: true } });
    expect((await app.call('GET', '/threads')).json.items).toEqual([]);
    expect(
      (await app.call('GET', '/threads?archived=true')).json.items.map(
        (item: { id: string }) => item.id,
      ),
    ).toEqual([thread.id]);

    const deleted = await app.call('DELETE', `/threads/${thread.id}`);
    expect(deleted.status).toBe(204);
    expect((await app.call('GET', `/threads/${thread.id}`)).status).toBe(404);
    expect((await app.call('DELETE', `/threads/${thread.id}`)).status).toBe(404);
  });

  it('creates a thread with no body at all', async () => {
    const app = testApp();
    const created = await app.call('POST', '/threads');
    expect(created.status).toBe(201);
    expect(created.json.title).toBeNull();
  });

  it('lists threads most recently active first, page by page', async () => {
    const app = testApp();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await app.createThread()).id);
    await app.send(ids[1]!, { text: 'bump' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await app.call(
        'GET',
        `/threads?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.json.items.map((item) => item.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids[1], ids[4], ids[3], ids[2], ids[0]]);
  });

  it('rejects a client-chosen thread id that is taken with 409', async () => {
    const app = testApp();
    await app.createThread('ada', { id: 'shared-id' });
    const again = await app.call('POST', '/threads', { user: 'bob', body: { id: 'shared-id' } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conflict');
  });
});

describe('bad input', () => {
  it('answers 400 with the path and an English reason of every issue', async () => {
    const app = testApp();
    const thread = await app.call('POST', '/threads', { body: { title: 'x'.repeat(501) } });
    expect(thread.status).toBe(400);
    expect(thread.json.error).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: ['title'], message: 'Too big: expected string to have <=500 characters' }],
    });
    expect(thread.json.error.message).toBe(
      'Invalid request body at "title": Too big: expected string to have <=500 characters.',
    );

    const { id } = (await app.call('POST', '/threads')).json;
    const send = await app.call('POST', `/threads/${id}/messages`, {
      body: { parts: [{ type: 'text', text: 42 }], parentId: 'no spaces' },
    });
    expect(send.status).toBe(400);
    expect(send.json.error.issues).toEqual(
      expect.arrayContaining([
        { path: ['parts', 0, 'text'], message: 'Invalid input: expected string, received number' },
        { path: ['parentId'], message: 'Ids use letters, digits, "-" and "_" only.' },
      ]),
    );

    const query = await app.call('GET', '/threads?limit=0&archived=maybe');
    expect(query.status).toBe(400);
    expect(query.json.error.issues.map((issue: { path: unknown }) => issue.path)).toEqual([
      ['limit'],
      ['archived'],
    ]);
  });
});

describe('sending a message', () => {
  it('streams the run as SSE: stored user message, title, answer deltas, final message, [DONE]', async () => {
    const app = testApp();
    const thread = await app.createThread();
    const { response, events, chunks } = await app.send(thread.id, {
      text: 'What is Confab?\nSecond line',
    });

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('cache-control')).toContain('no-cache');
    expect(response.headers.get('confab-protocol')).toBe('1');
    expect(chunks.map((chunk) => chunk.type)).toEqual([
      'message-created',
      'thread-updated',
      'message-created',
      'run-started',
      'text-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-end',
      'message-updated',
      'thread-updated',
      'run-finished',
    ]);
    // Logged events are numbered in the thread; live ones after the run's `run-started`.
    expect(events.map((event) => event.id)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '4.1',
      '4.2',
      '4.3',
      '4.4',
      '4.5',
      '4.6',
      '5',
      '6',
      '7',
    ]);
    const answerId = chunks[2]!.type === 'message-created' ? chunks[2]!.message.id : '';
    expect(chunks[4]).toEqual({ type: 'text-start', messageId: answerId, id: '0' });
    expect(chunks[5]).toEqual({ type: 'text-delta', id: '0', delta: 'Hello' });

    const created = chunks[0]!;
    if (created.type !== 'message-created') throw new Error('unexpected');
    expect(created.message).toMatchObject({
      role: 'user',
      status: 'complete',
      authorId: 'ada',
      sequence: 0,
    });
    const titled = chunks[1]!;
    expect(titled.type === 'thread-updated' && titled.thread.title).toBe('What is Confab?');
    expect(chunks[2]).toMatchObject({ message: { role: 'assistant', status: 'streaming' } });

    const end = chunks[10]!;
    if (end.type !== 'message-updated') throw new Error('unexpected');
    expect(messageSchema.parse(end.message)).toMatchObject({
      role: 'assistant',
      status: 'complete',
      model: 'scripted',
      parentId: created.message.id,
      usage: { inputTokens: 3, outputTokens: 4 },
    });
    expect(messageText(end.message)).toBe('Hello, world!');
    expect(chunks[12]).toEqual({ type: 'run-finished', messageId: answerId, status: 'complete' });

    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items.map((message: { status: string }) => message.status)).toEqual([
      'complete',
      'complete',
    ]);
    expect(stored.json.items[1]).toEqual(end.message);
  });

  it('answers with one JSON result when the client accepts JSON', async () => {
    const app = testApp();
    const thread = await app.createThread();
    const result = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { text: 'hi' },
      headers: { accept: 'application/json' },
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('confab-protocol')).toBe('1');
    expect(result.json.userMessage).toMatchObject({
      role: 'user',
      parts: [{ type: 'text', text: 'hi' }],
    });
    expect(result.json.message).toMatchObject({ role: 'assistant', status: 'complete' });
    expect(result.json.thread).toMatchObject({ id: thread.id, title: 'hi' });
  });

  it('gives the model the conversation so far, with the system prompt first', async () => {
    const model = scriptedModel({ pieces: ['ok'] });
    const app = testApp({ model, system: 'Be brief.' });
    const thread = await app.createThread();
    await app.send(thread.id, { text: 'first' });
    await app.send(thread.id, { text: 'second' });
    const last = model.requests.at(-1)!;
    expect(last.messages.map((message) => [message.role, messageText(message)])).toEqual([
      ['system', 'Be brief.'],
      ['user', 'first'],
      ['assistant', 'ok'],
      ['user', 'second'],
    ]);
  });

  it('uses the model named by the send, else the thread, else the first', async () => {
    const model = scriptedModel({ pieces: ['ok'] });
    const app = testApp({ model });
    const thread = await app.createThread('ada', { model: 'scripted-large' });
    await app.send(thread.id, { text: 'a' });
    await app.send(thread.id, { text: 'b', model: 'scripted' });
    expect(model.requests.map((request) => request.model)).toEqual(['scripted-large', 'scripted']);
  });

  it('is idempotent with a client-chosen id: a retried send stores nothing twice', async () => {
    const model = scriptedModel();
    const app = testApp({ model });
    const thread = await app.createThread();
    const first = await app.send(thread.id, { id: 'msg-1', text: 'once' });
    const retry = await app.send(thread.id, { id: 'msg-1', text: 'once' });
    expect(retry.answer).toEqual(first.answer);
    expect(retry.chunks[0]).toEqual(first.chunks[0]);
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items).toHaveLength(2);
    expect(model.requests).toHaveLength(1);

    const json = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { id: 'msg-1', text: 'once' },
      headers: { accept: 'application/json' },
    });
    expect(json.json.message).toEqual(first.answer);
  });

  it('lets a retry that arrives during the answer follow the same run', async () => {
    const model = scriptedModel({ delayMs: 20 });
    const app = testApp({ model });
    const thread = await app.createThread();
    const [first, retry] = await Promise.all([
      app.send(thread.id, { id: 'msg-2', text: 'hello' }),
      new Promise((resolve) => setTimeout(resolve, 30)).then(() =>
        app.send(thread.id, { id: 'msg-2', text: 'hello' }),
      ),
    ]);
    // The retry joins the run: the question, the answer so far, then the same chunks live.
    expect(retry.chunks[0]).toEqual(first.chunks[0]);
    expect(retry.answer).toEqual(first.answer);
    expect(messageText(retry.answer!)).toBe('Hello, world!');
    expect(model.requests).toHaveLength(1);
  });

  it('refuses a second send in a thread while an answer is generated (409)', async () => {
    const app = testApp({ model: scriptedModel({ delayMs: 20 }) });
    const thread = await app.createThread();
    const running = app.send(thread.id, { text: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { text: 'two' },
    });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('generation_in_progress');
    await running;
  });

  it('stores a failed answer with its error code when the model fails, and says so in the stream', async () => {
    const app = testApp({ model: scriptedModel({ failWith: upstreamFailure, failAfter: 2 }) });
    const thread = await app.createThread();
    const { chunks } = await app.send(thread.id, { text: 'hi' });
    const error = chunks.find((chunk) => chunk.type === 'error');
    expect(error).toMatchObject({ error: { code: 'model_error' } });
    expect(finalAnswer(chunks)).toMatchObject({ status: 'failed', error: { code: 'model_error' } });
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items[1]).toMatchObject({
      status: 'failed',
      error: { code: 'model_error' },
    });
    expect(messageText(stored.json.items[1])).toBe('Hello, ');
    expect(stored.json.items[0]).toMatchObject({ role: 'user', status: 'complete' });
  });

  it('answers a JSON send whose model failed with the upstream status', async () => {
    const rateLimited = new ConfabError('rate_limited', 'Slow down.', { retryAfter: 7 });
    const app = testApp({ model: scriptedModel({ failWith: rateLimited }) });
    const thread = await app.createThread();
    const result = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { text: 'hi' },
      headers: { accept: 'application/json' },
    });
    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('7');
    expect(result.json.error).toMatchObject({ code: 'rate_limited', retryAfter: 7 });
  });

  it('finishes and stores the answer when the client disconnects mid-stream', async () => {
    const pieces = Array.from({ length: 30 }, (_, index) => `p${index} `);
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 5 }), flushIntervalMs: 20 });
    const thread = await app.createThread();
    const controller = new AbortController();
    const response = await app.handler(
      app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'hi' } }),
    );
    const reader = parseChunkStream(response.body!).getReader();
    for (let read = 0; read < 5; read++) await reader.read();
    await reader.cancel();
    controller.abort();
    await app.handler.idle();
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items[1].status).toBe('complete');
    expect(messageText(stored.json.items[1])).toBe(pieces.join(''));
  });

  it("hands each answer to the platform's waitUntil, settled once the answer is stored", async () => {
    const pieces = Array.from({ length: 30 }, (_, index) => `p${index} `);
    const kept: Promise<unknown>[] = [];
    const app = testApp({
      model: scriptedModel({ pieces, delayMs: 5 }),
      waitUntil: (promise) => kept.push(promise),
    });
    const thread = await app.createThread();
    const response = await app.handler(
      app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'hi' } }),
    );
    // The client leaves early; what the platform waits for is the stored answer.
    const reader = parseChunkStream(response.body!).getReader();
    for (let read = 0; read < 3; read++) await reader.read();
    await reader.cancel();
    expect(kept).toHaveLength(1);
    const answer = (await kept[0]) as Message;
    expect(answer).toMatchObject({ status: 'complete', role: 'assistant' });
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items[1]).toEqual(answer);

    // A regeneration is handed over too; a refused request hands over nothing.
    await app.call('POST', `/threads/${thread.id}/messages/${answer.id}/regenerate`, {
      headers: { accept: 'application/json' },
    });
    await app.call('POST', `/threads/${thread.id}/messages`, { body: {} });
    expect(kept).toHaveLength(2);
  });

  it('still answers when waitUntil throws, and reports it', async () => {
    const errors: unknown[] = [];
    const app = testApp({
      waitUntil: () => {
        throw new Error('outside a request scope');
      },
      onError: (error) => errors.push(error),
    });
    const thread = await app.createThread();
    const { answer } = await app.send(thread.id, { text: 'hi' });
    expect(answer).toMatchObject({ status: 'complete' });
    expect(String(errors[0])).toContain('outside a request scope');
  });

  it('stores the partial answer while it streams', async () => {
    const pieces = Array.from({ length: 40 }, (_, index) => `p${index} `);
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 10 }), flushIntervalMs: 30 });
    const thread = await app.createThread();
    const running = app.send(thread.id, { text: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await app.call('GET', `/threads/${thread.id}/messages`);
    const partial = during.json.items[1];
    expect(partial.status).toBe('streaming');
    expect(messageText(partial).length).toBeGreaterThan(0);
    expect(messageText(partial).length).toBeLessThan(pieces.join('').length);
    await running;
  });

  it('sends comment heartbeats while the model is silent', async () => {
    const app = testApp({
      model: scriptedModel({ pieces: ['late'], delayMs: 120 }),
      heartbeatMs: 25,
    });
    const thread = await app.createThread();
    const response = await app.handler(
      app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'hi' } }),
    );
    const text = await response.text();
    expect(text).toContain(': ping\n\n');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});

describe('regenerating an answer', () => {
  /** The scripted model, except that its first answer fails after one piece. */
  function failingFirst(options: Parameters<typeof scriptedModel>[0] = {}) {
    const answering = scriptedModel(options);
    const failing = scriptedModel({ ...options, failWith: upstreamFailure, failAfter: 1 });
    const requests: ModelRequest[] = [];
    const model: ChatModel & { requests: ModelRequest[] } = {
      requests,
      models: answering.models,
      stream(request) {
        requests.push(request);
        return (requests.length === 1 ? failing : answering).stream(request);
      },
    };
    return model;
  }

  /** A thread with one question whose answer failed. */
  async function failedAnswer(options: Parameters<typeof testApp>[0] = {}) {
    const model = failingFirst({ pieces: ['Second', ' try'] });
    const app = testApp({ model, ...options });
    const thread = await app.createThread();
    const { answer } = await app.send(thread.id, { text: 'Tell me' });
    if (!answer) throw new Error('no answer');
    expect(answer.status).toBe('failed');
    return { app, model, thread, failed: answer };
  }

  const regeneratePath = (threadId: string, messageId: string) =>
    `/threads/${threadId}/messages/${messageId}/regenerate`;

  async function regenerate(
    app: ReturnType<typeof testApp>,
    threadId: string,
    messageId: string,
    body?: unknown,
  ) {
    const response = await app.handler(
      app.request('POST', regeneratePath(threadId, messageId), { body }),
    );
    expect(response.status).toBe(200);
    const chunks: StreamChunk[] = [];
    for await (const event of parseChunkStream(response.body!)) chunks.push(event.chunk);
    const answer = finalAnswer(chunks);
    if (!answer) throw new Error('no final answer');
    return { chunks, answer };
  }

  it('streams a new answer to the same question and keeps the old one', async () => {
    const { app, model, thread, failed } = await failedAnswer();
    const { chunks, answer } = await regenerate(app, thread.id, failed.id);
    expect(chunks.map((chunk) => chunk.type)).toEqual([
      'message-created',
      'leaf-updated',
      'run-started',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'message-updated',
      'thread-updated',
      'run-finished',
    ]);
    expect(answer).toMatchObject({
      parentId: failed.parentId,
      role: 'assistant',
      status: 'complete',
    });
    expect(messageText(answer)).toBe('Second try');

    // The thread's branch now ends at the new answer; the old one is its other version.
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items.map((item: Message) => [item.id, item.status])).toEqual([
      [failed.parentId, 'complete'],
      [answer.id, 'complete'],
    ]);
    expect(stored.json.versions).toEqual({ [answer.id]: [failed.id, answer.id] });
    // Both times the model saw the question alone.
    expect(model.requests.map((request) => request.messages.map(messageText))).toEqual([
      ['Tell me'],
      ['Tell me'],
    ]);
  });

  it('gives the model the current branch: earlier versions of answers are left out', async () => {
    const { app, model, thread, failed } = await failedAnswer();
    await regenerate(app, thread.id, failed.id);
    await app.send(thread.id, { text: 'And then?' });
    const { answer } = await regenerate(app, thread.id, (await latest(app, thread.id)).id);
    expect(
      model.requests.at(-1)!.messages.map((message) => [message.role, messageText(message)]),
    ).toEqual([
      ['user', 'Tell me'],
      ['assistant', 'Second try'],
      ['user', 'And then?'],
    ]);
    expect(answer.status).toBe('complete');
  });

  it('gives the model the branch however many versions an answer has', async () => {
    // More versions of the first answer than the model sees messages: a window of the thread's
    // newest messages would hold old versions only, and miss the first question.
    const { app, model, thread, failed } = await failedAnswer({ limits: { contextMessages: 4 } });
    let answer = failed;
    for (let index = 0; index < 8; index++) {
      answer = (await regenerate(app, thread.id, answer.id)).answer;
    }
    await app.send(thread.id, { text: 'And then?' });
    expect(
      model.requests.at(-1)!.messages.map((message) => [message.role, messageText(message)]),
    ).toEqual([
      ['user', 'Tell me'],
      ['assistant', 'Second try'],
      ['user', 'And then?'],
    ]);
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items.map((item: Message) => messageText(item))).toEqual([
      'Tell me',
      'Second try',
      'And then?',
      'Second try',
    ]);
    expect(stored.json.versions[answer.id]).toHaveLength(9);
  });

  it("answers with the model asked for, else the thread's, else the question's", async () => {
    const { app, model, thread, failed } = await failedAnswer();
    const first = await regenerate(app, thread.id, failed.id, { model: 'scripted-large' });
    expect(first.answer.model).toBe('scripted-large');
    const second = await regenerate(app, thread.id, first.answer.id);
    expect(second.answer.model).toBe('scripted');
    await app.call('PATCH', `/threads/${thread.id}`, { body: { model: 'scripted-large' } });
    const third = await regenerate(app, thread.id, second.answer.id);
    expect(third.answer.model).toBe('scripted-large');
    expect(model.requests.map((request) => request.model)).toEqual([
      'scripted',
      'scripted-large',
      'scripted',
      'scripted-large',
    ]);
    const unknown = await app.call('POST', regeneratePath(thread.id, third.answer.id), {
      body: { model: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues[0].path).toEqual(['model']);
  });

  it('is idempotent with a client-chosen id, and answers JSON when asked', async () => {
    const { app, model, thread, failed } = await failedAnswer();
    const first = await regenerate(app, thread.id, failed.id, { id: 'again-1' });
    expect(first.answer.id).toBe('again-1');
    const retried = await regenerate(app, thread.id, failed.id, { id: 'again-1' });
    expect(retried.answer).toEqual(first.answer);
    expect(model.requests).toHaveLength(2);

    const json = await app.call('POST', regeneratePath(thread.id, 'again-1'), {
      body: { id: 'again-2' },
      headers: { accept: 'application/json' },
    });
    expect(json.status).toBe(200);
    expect(json.json.userMessage.id).toBe(failed.parentId);
    expect(json.json.message).toMatchObject({ id: 'again-2', status: 'complete' });
    expect(json.json.thread.id).toBe(thread.id);

    const taken = await app.call('POST', regeneratePath(thread.id, 'again-2'), {
      body: { id: failed.parentId },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('conflict');
  });

  it('refuses a question or a thread busy answering, and answers an earlier answer again', async () => {
    const { app, thread, failed } = await failedAnswer({ model: failingFirst({ delayMs: 20 }) });
    const question = await app.call('POST', regeneratePath(thread.id, failed.parentId!));
    expect(question.status).toBe(400);
    expect(question.json.error.code).toBe('invalid_request');

    await app.send(thread.id, { text: 'Next' });
    // An answer further back starts a branch there: the thread now shows it, without "Next".
    const earlier = await regenerate(app, thread.id, failed.id);
    expect(earlier.answer.parentId).toBe(failed.parentId);
    expect((await app.call('GET', `/threads/${thread.id}/messages`)).json.items).toHaveLength(2);

    const running = app.send(thread.id, { text: 'Slow one' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const busy = await app.call(
      'POST',
      regeneratePath(thread.id, (await latest(app, thread.id)).id),
    );
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('generation_in_progress');
    await running;
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items).toHaveLength(4);
  });

  it('can be stopped like any answer', async () => {
    const pieces = Array.from({ length: 100 }, (_, index) => `w${index} `);
    const { app, thread, failed } = await failedAnswer({
      model: failingFirst({ pieces, delayMs: 5 }),
    });
    const running = regenerate(app, thread.id, failed.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stop = await app.call('POST', `/threads/${thread.id}/stop`);
    expect(stop.json.stopped).toBe(true);
    const { answer } = await running;
    expect(answer).toMatchObject({ id: stop.json.messageId, status: 'cancelled' });
  });
});

/** The newest message of a thread. */
async function latest(app: ReturnType<typeof testApp>, threadId: string): Promise<Message> {
  const page = await app.call('GET', `/threads/${threadId}/messages?limit=1`);
  return page.json.items[0];
}

describe('stop', () => {
  it('stops the answer, keeps the partial text as cancelled and ends the stream', async () => {
    const pieces = Array.from({ length: 100 }, (_, index) => `w${index} `);
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 5 }) });
    const thread = await app.createThread();
    const running = app.send(thread.id, { text: 'long please' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const stop = await app.call('POST', `/threads/${thread.id}/stop`);
    expect(stop.status).toBe(200);
    expect(stop.json.stopped).toBe(true);

    const { answer } = await running;
    expect(answer?.status).toBe('cancelled');
    expect(stop.json.messageId).toBe(answer?.id);
    const text = messageText(answer!);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(pieces.join('').length);

    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items[1]).toMatchObject({ status: 'cancelled' });
    expect(messageText(stored.json.items[1])).toBe(text);
  });

  it('says stopped: false when nothing runs, or another message is named', async () => {
    const app = testApp({ model: scriptedModel({ delayMs: 20 }) });
    const thread = await app.createThread();
    expect((await app.call('POST', `/threads/${thread.id}/stop`)).json).toEqual({
      stopped: false,
      messageId: null,
    });
    const running = app.send(thread.id, { text: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const other = await app.call('POST', `/threads/${thread.id}/stop`, {
      body: { messageId: 'someone-else' },
    });
    expect(other.json.stopped).toBe(false);
    const { answer } = await running;
    expect(answer).toMatchObject({ status: 'complete' });
  });

  it('close() stops every answer in progress and stores them as cancelled', async () => {
    const app = testApp({ model: scriptedModel({ delayMs: 50 }) });
    const thread = await app.createThread();
    const running = app.send(thread.id, { text: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await app.handler.close();
    await running;
    const stored = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(stored.json.items[1].status).toBe('cancelled');
  });
});

describe('message history', () => {
  it('opens a long thread on its last page and pages back with nextCursor', async () => {
    const store = memoryStore();
    const app = testApp({ store });
    const thread = await app.createThread();
    for (let index = 0; index < 130; index++) {
      await store.appendMessage({ userId: 'ada' }, thread.id, {
        id: `m${index}`,
        parentId: index ? `m${index - 1}` : null,
        role: index % 2 ? 'assistant' : 'user',
        authorId: index % 2 ? null : 'ada',
        parts: [{ type: 'text', text: `message ${index}` }],
        status: 'complete',
        model: null,
        metadata: {},
      });
    }
    const sequences: number[][] = [];
    let path = `/threads/${thread.id}/messages?limit=50`;
    while (true) {
      const page = await app.call('GET', path);
      sequences.push(page.json.items.map((message: { sequence: number }) => message.sequence));
      if (!page.json.nextCursor) break;
      path = `/threads/${thread.id}/messages?limit=50&before=${page.json.nextCursor}`;
    }
    expect(sequences.map((page) => page.length)).toEqual([50, 50, 30]);
    expect(sequences[0]![0]).toBe(80);
    expect(sequences[0]!.at(-1)).toBe(129);
    expect(sequences.reverse().flat()).toEqual(Array.from({ length: 130 }, (_, index) => index));
  });

  it('marks an answer left streaming by a crashed process as failed: interrupted', async () => {
    const store = memoryStore();
    const app = testApp({ store, staleAfterMs: 0 });
    const thread = await app.createThread();
    const scope = { userId: 'ada' };
    const question = await store.appendMessage(scope, thread.id, {
      id: 'q',
      parentId: null,
      role: 'user',
      authorId: 'ada',
      parts: [{ type: 'text', text: 'hi' }],
      status: 'complete',
      model: null,
      metadata: {},
    });
    await store.appendMessage(scope, thread.id, {
      id: 'a',
      parentId: question.id,
      role: 'assistant',
      authorId: null,
      parts: [{ type: 'text', text: 'half an ans' }],
      status: 'streaming',
      model: 'scripted',
      metadata: {},
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const page = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(page.json.items[1]).toMatchObject({
      status: 'failed',
      error: { code: 'interrupted' },
      parts: [{ type: 'text', text: 'half an ans' }],
    });
    expect((await store.getMessage(scope, thread.id, 'a'))?.status).toBe('failed');
  });

  it('stops nothing, and names no answer, while another instance settles a dead answer', async () => {
    const store = memoryStore();
    const app = testApp({ store });
    const thread = await app.createThread();
    const scope = { userId: 'ada' };
    // What another instance holds while it marks a dead instance's answer interrupted.
    const claim = { messageId: 'settle-0b7c5a52', expiresAt: Date.now() + 60_000 };
    expect(await store.acquireRun(scope, thread.id, claim, 0)).toBe(true);
    const stop = await app.call('POST', `/threads/${thread.id}/stop`, {});
    expect(stop.status).toBe(200);
    expect(stop.json).toEqual({ stopped: false, messageId: null });
  });

  it('leaves an answer that is still running in this process alone', async () => {
    const app = testApp({ model: scriptedModel({ delayMs: 30 }), staleAfterMs: 0 });
    const thread = await app.createThread();
    const running = app.send(thread.id, { text: 'hi' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const page = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(page.json.items[1].status).toBe('streaming');
    await running;
  });
});

describe('models and health', () => {
  it('lists the models with the default first', async () => {
    const app = testApp();
    const models = await app.call('GET', '/models');
    expect(models.json).toEqual({
      items: [
        { id: 'scripted', label: 'Scripted', provider: 'test', contextWindow: 1000 },
        { id: 'scripted-large', label: 'Scripted large', provider: 'test', contextWindow: 100_000 },
      ],
      defaultModel: 'scripted',
    });
  });

  it('answers health without auth', async () => {
    const app = testApp();
    const response = await app.handler(new Request('http://localhost/api/chat/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('auth', () => {
  it('is required', () => {
    expect(() =>
      createChatHandler({ store: memoryStore(), model: scriptedModel(), auth: undefined as never }),
    ).toThrow(/auth/);
  });

  it('answers 401 with a JSON error when the caller is not signed in', async () => {
    const app = testApp();
    const response = await app.handler(new Request('http://localhost/api/chat/threads'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: expect.any(String) },
    });
  });
});
