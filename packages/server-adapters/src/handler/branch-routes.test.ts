import { type Message, messageText, parseChunkStream, type StreamChunk } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { sqliteStore } from '../sqlite/sqlite-store';
import type { ChatStore } from '../store/chat-store';
import { memoryStore } from '../store/memory-store';
import { countingModel } from '../testing/counting-model';
import { scriptedModel } from '../testing/scripted-model';
import { finalAnswer, testApp } from '../testing/test-app';

const stores: [string, () => Promise<ChatStore>][] = [
  ['memory', async () => memoryStore()],
  ['SQLite', () => sqliteStore({ filename: ':memory:' })],
];

describe.each(stores)('branches over HTTP, on %s', (_name, createStore) => {
  async function setup() {
    const model = countingModel();
    const app = testApp({ model, store: await createStore() });
    const thread = await app.createThread();
    return { app, model, thread };
  }
  type App = Awaited<ReturnType<typeof setup>>['app'];

  async function streamOf(app: App, method: string, path: string, body?: unknown) {
    const response = await app.handler(app.request(method, path, { body }));
    expect(response.status).toBe(200);
    const chunks: StreamChunk[] = [];
    for await (const event of parseChunkStream(response.body!)) chunks.push(event.chunk);
    return { chunks, answer: finalAnswer(chunks)! };
  }
  /** The thread's event log, as a stream resuming from its start would replay it. */
  const logged = async (app: App, threadId: string) =>
    (await app.store.listEvents({ userId: 'ada' }, threadId, { after: 0, limit: 1000 }))!.items.map(
      (item) => item.chunk,
    );
  const texts = (items: Message[]) => items.map((message) => messageText(message));
  const branchOf = async (app: App, threadId: string) =>
    (await app.call('GET', `/threads/${threadId}/messages`)).json;

  /** q1 → a1, then q2 → a2: a linear thread of two turns. */
  async function twoTurns() {
    const context = await setup();
    const first = await context.app.send(context.thread.id, { text: 'q1' });
    const second = await context.app.send(context.thread.id, { text: 'q2' });
    return { ...context, first, second };
  }

  it('regenerates an answer further back: a new branch, shown, with its versions', async () => {
    const { app, model, thread, first, second } = await twoTurns();
    const a1 = first.answer!;
    const { chunks, answer } = await streamOf(
      app,
      'POST',
      `/threads/${thread.id}/messages/${a1.id}/regenerate`,
    );
    expect(answer).toMatchObject({ parentId: a1.parentId, status: 'complete' });
    expect(chunks).toContainEqual({ type: 'leaf-updated', userId: 'ada', messageId: answer.id });
    // The model saw the first question alone, not the later turn.
    expect(model.seen.at(-1)).toEqual(['q1']);

    const page = await branchOf(app, thread.id);
    expect(texts(page.items)).toEqual(['q1', '3: q1']);
    expect(page.versions).toEqual({ [answer.id]: [a1.id, answer.id] });
    const versions = await app.call('GET', `/threads/${thread.id}/messages/${answer.id}/versions`);
    expect(versions.json.items.map((item: Message) => item.id)).toEqual([a1.id, answer.id]);

    // Switching back to the first version shows its continuation again, and stays after a reload.
    const switched = await app.call('PUT', `/threads/${thread.id}/leaf`, {
      body: { messageId: a1.id },
    });
    expect(switched.status).toBe(200);
    expect(texts(switched.json.items)).toEqual(['q1', '1: q1', 'q2', '2: q2']);
    expect((await branchOf(app, thread.id)).items).toEqual(switched.json.items);
    expect(second.answer!.id).toBe(switched.json.items.at(-1).id);
    expect(await logged(app, thread.id)).toContainEqual({
      type: 'leaf-updated',
      userId: 'ada',
      messageId: a1.id,
    });
  });

  it('edits a question: a send beside it, answered on the new branch', async () => {
    const { app, model, thread, second } = await twoTurns();
    const q2 = second.chunks.find(
      (chunk): chunk is Extract<StreamChunk, { type: 'message-created' }> =>
        chunk.type === 'message-created' && chunk.message.role === 'user',
    )!.message;
    const edited = await app.send(thread.id, { text: 'q2, edited', parentId: q2.parentId });
    expect(model.seen.at(-1)).toEqual(['q1', '1: q1', 'q2, edited']);
    const page = await branchOf(app, thread.id);
    expect(texts(page.items)).toEqual(['q1', '1: q1', 'q2, edited', '3: q2, edited']);
    expect(page.versions[page.items[2].id]).toEqual([q2.id, page.items[2].id]);
    expect(edited.chunks.map((chunk) => chunk.type)).toContain('leaf-updated');
    // The next send without a parent follows the branch shown.
    await app.send(thread.id, { text: 'q3' });
    expect(model.seen.at(-1)).toEqual(['q1', '1: q1', 'q2, edited', '3: q2, edited', 'q3']);
  });

  it('stops an answer being written below a deleted message before deleting it', async () => {
    const pieces = Array.from({ length: 200 }, (_, index) => `w${index} `);
    const app = testApp({
      model: scriptedModel({ pieces, delayMs: 5 }),
      store: await createStore(),
    });
    const thread = await app.createThread();
    await app.send(thread.id, { text: 'first' });
    const response = await app.handler(
      app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'long one' } }),
    );
    const events = parseChunkStream(response.body!)[Symbol.asyncIterator]();
    let question: Message | undefined;
    while (!question) {
      const { value } = await events.next();
      if (value?.chunk.type === 'message-created' && value.chunk.message.role === 'user') {
        question = value.chunk.message;
      }
    }
    const deleted = await app.call('DELETE', `/threads/${thread.id}/messages/${question.id}`);
    expect(deleted).toMatchObject({ status: 200, json: { deleted: 2 } });
    // The stream ends with the stopped run, and nothing of the answer is left.
    const rest: StreamChunk[] = [];
    for (let next = await events.next(); !next.done; next = await events.next()) {
      rest.push(next.value.chunk);
    }
    expect(rest.at(-1)).toMatchObject({ type: 'run-finished', status: 'cancelled' });
    expect((await app.store.getRun({ userId: 'ada' }, thread.id))?.messageId).toBeUndefined();
    const left = (await branchOf(app, thread.id)).items;
    expect(left.map((message: Message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(messageText(left[0])).toBe('first');
    const next = await app.send(thread.id, { text: 'after' });
    expect(next.answer?.status).toBe('complete');
  });

  it('deletes a message and what follows it', async () => {
    const { app, thread, first, second } = await twoTurns();
    const q2 = second.answer!.parentId!;
    const deleted = await app.call('DELETE', `/threads/${thread.id}/messages/${q2}`);
    expect(deleted).toMatchObject({ status: 200, json: { deleted: 2 } });
    expect(texts((await branchOf(app, thread.id)).items)).toEqual(['q1', '1: q1']);
    expect((await app.call('DELETE', `/threads/${thread.id}/messages/${q2}`)).status).toBe(404);
    expect(await logged(app, thread.id)).toContainEqual({ type: 'message-deleted', messageId: q2 });
    // The thread goes on from what is left.
    await app.send(thread.id, { text: 'again' });
    expect(texts((await branchOf(app, thread.id)).items).slice(0, 3)).toEqual([
      'q1',
      first.answer && messageText(first.answer),
      'again',
    ]);
  });

  it('forks a branch into a new thread, and exports and imports a thread', async () => {
    const { app, thread, first, second } = await twoTurns();
    await app.call('PATCH', `/threads/${thread.id}`, { body: { title: 'Trip' } });
    const fork = await app.call('POST', `/threads/${thread.id}/fork`, {
      body: { messageId: first.answer!.id },
    });
    expect(fork.status).toBe(201);
    expect(fork.json).toMatchObject({ title: 'Trip', ownerId: 'ada' });
    expect(texts((await branchOf(app, fork.json.id)).items)).toEqual(['q1', '1: q1']);
    expect(texts((await branchOf(app, thread.id)).items)).toHaveLength(4);

    await streamOf(app, 'POST', `/threads/${thread.id}/messages/${second.answer!.id}/regenerate`);
    const exported = await app.call('GET', `/threads/${thread.id}/export`);
    expect(exported.headers.get('content-type')).toBe('application/json');
    expect(exported.json).toMatchObject({ format: 'confab.thread', version: 1 });
    expect(exported.json.thread.title).toBe('Trip');
    expect(exported.json.messages.map((message: Message) => messageText(message))).toEqual([
      'q1',
      '1: q1',
      'q2',
      '2: q2',
      '3: q2',
    ]);
    const markdown = await app.call('GET', `/threads/${thread.id}/export?format=markdown`);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(markdown.text).toBe(
      '# Trip\n\n## You\n\nq1\n\n## Assistant (counting)\n\n1: q1\n\n## You\n\nq2\n\n## Assistant (counting)\n\n3: q2\n',
    );

    const imported = await app.call('POST', '/thread-imports', {
      user: 'bob',
      body: exported.json,
    });
    expect(imported.status).toBe(201);
    expect(imported.json).toMatchObject({ title: 'Trip', ownerId: 'bob' });
    const copy = await app.call('GET', `/threads/${imported.json.id}/messages`, { user: 'bob' });
    expect(texts(copy.json.items)).toEqual(['q1', '1: q1', 'q2', '3: q2']);
    expect(Object.values(copy.json.versions)).toEqual([[second.answer!.id, expect.any(String)]]);
    const again = await app.call('GET', `/threads/${imported.json.id}/export`, { user: 'bob' });
    expect(again.json.messages.map((message: Message) => [message.id, message.parentId])).toEqual(
      exported.json.messages.map((message: Message) => [message.id, message.parentId]),
    );
  });

  it('refuses bad input with 400 and the path, and hides the thread from another user', async () => {
    const { app, thread, first } = await twoTurns();
    const answerId = first.answer!.id;
    const bad = [
      await app.call('PUT', `/threads/${thread.id}/leaf`, { body: { messageId: 'nope' } }),
      await app.call('PUT', `/threads/${thread.id}/leaf`, { body: {} }),
      await app.call('POST', `/threads/${thread.id}/fork`, { body: { messageId: 'nope' } }),
      await app.call('POST', `/threads/${thread.id}/fork`, { body: { messageId: 'a b' } }),
      await app.call('GET', `/threads/${thread.id}/export?format=pdf`),
    ];
    expect(bad.map((response) => [response.status, response.json.error.code])).toEqual(
      bad.map(() => [400, 'invalid_request']),
    );
    expect(bad.map((response) => response.json.error.issues[0].path)).toEqual([
      ['messageId'],
      ['messageId'],
      ['messageId'],
      ['messageId'],
      ['format'],
    ]);

    const exported = (await app.call('GET', `/threads/${thread.id}/export`)).json;
    const [q1, a1] = exported.messages;
    const imports = [
      {
        ...exported,
        messages: [
          { ...a1, sequence: 0 },
          { ...q1, sequence: 1 },
        ],
      },
      { ...exported, messages: [q1, { ...a1, id: q1.id }] },
      { ...exported, messages: [{ ...q1, parts: [{ type: 'text', text: 'nul \u0000' }] }] },
      { ...exported, format: 'other' },
    ];
    const refused = [];
    for (const body of imports) refused.push(await app.call('POST', '/thread-imports', { body }));
    expect(refused.map((response) => response.status)).toEqual([400, 400, 400, 400]);
    expect(refused.map((response) => response.json.error.issues[0].path)).toEqual([
      ['messages', 0, 'parentId'],
      ['messages', 1, 'id'],
      ['messages', 0, 'parts', 0, 'text'],
      ['format'],
    ]);
    expect((await app.call('GET', '/threads')).json.items).toHaveLength(1);

    const before = await branchOf(app, thread.id);
    const attempts = [
      await app.call('DELETE', `/threads/${thread.id}/messages/${answerId}`, { user: 'bob' }),
      await app.call('GET', `/threads/${thread.id}/messages/${answerId}/versions`, { user: 'bob' }),
      await app.call('PUT', `/threads/${thread.id}/leaf`, {
        user: 'bob',
        body: { messageId: answerId },
      }),
      await app.call('POST', `/threads/${thread.id}/fork`, {
        user: 'bob',
        body: { messageId: answerId },
      }),
      await app.call('GET', `/threads/${thread.id}/export`, { user: 'bob' }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.json.error.code).toBe('not_found');
    }
    expect(await branchOf(app, thread.id)).toEqual(before);
    expect((await app.call('GET', '/threads', { user: 'bob' })).json.items).toEqual([]);
  });
});
