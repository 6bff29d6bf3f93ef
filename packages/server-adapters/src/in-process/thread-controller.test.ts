import {
  type ChatBackend,
  ChatClient,
  ConfabError,
  httpBackend,
  messageText,
  type ThreadController,
  type ThreadState,
} from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoModelOptions, demoModel } from '../models/demo-model';
import { slowly } from '../testing/slowly';
import { type InProcessBackend, inProcessBackend } from './in-process-backend';

const backends: InProcessBackend[] = [];
afterEach(() => Promise.all(backends.splice(0).map((backend) => backend.handler.close())));

/** The real handler over a memory store, its model answering at once with `reply`. */
function scriptedBackend(options: Pick<DemoModelOptions, 'reply' | 'models'> = {}) {
  const backend = inProcessBackend({ model: demoModel({ tokenDelayMs: 0, ...options }) });
  backends.push(backend);
  return backend;
}

/** Records every state the controller publishes, like a UI would see them. */
function record(controller: ThreadController) {
  const states: ThreadState[] = [];
  controller.subscribe(() => states.push(controller.getSnapshot()));
  return states;
}

/** A question `q1` and its answer `a1` in thread `t1`, as the server stores them. */
function storedTurn(text: string, answerStatus: 'streaming' | 'complete') {
  const answer = {
    id: 'a1',
    threadId: 't1',
    parentId: 'q1',
    role: 'assistant',
    authorId: null,
    status: answerStatus,
    model: null,
    usage: null,
    error: null,
    sequence: 1,
    metadata: {},
    parts: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const question = {
    ...answer,
    id: 'q1',
    parentId: null,
    role: 'user',
    status: 'complete',
    sequence: 0,
    parts: [{ type: 'text', text }],
  };
  return { question, answer };
}

describe('ThreadController', () => {
  it('shows the user message at once, then streams the answer and ends ready', async () => {
    const backend = scriptedBackend({
      reply: (_, { signal }) => slowly(['Hel', 'lo', '!'], signal),
    });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id, { isNew: true });
    const states = record(controller);

    const answer = await controller.send('Hi there');

    const first = states[0]!;
    expect(first.status).toBe('submitted');
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]).toMatchObject({ role: 'user', status: 'pending' });
    expect(messageText(first.messages[0]!)).toBe('Hi there');

    const statuses = states.map((state) => state.status);
    expect(statuses.indexOf('streaming')).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe('ready');

    // Every intermediate text is a prefix of the final one: deltas arrive in order.
    const texts = states
      .map((state) => state.messages.find((message) => message.role === 'assistant'))
      .filter((message) => message !== undefined)
      .map((message) => messageText(message));
    expect(texts.at(-1)).toBe('Hello!');
    for (const text of texts) expect('Hello!'.startsWith(text)).toBe(true);

    const final = controller.getSnapshot();
    expect(final.messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(answer?.status).toBe('complete');
    expect(final.error).toBeNull();
  });

  it('reconciles the optimistic message with the stored one (same id, server sequence)', async () => {
    const backend = scriptedBackend();
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    await controller.send({ text: 'one', id: 'client-id-1' });
    const user = controller.getSnapshot().messages[0]!;
    expect(user).toMatchObject({
      id: 'client-id-1',
      status: 'complete',
      sequence: 0,
      authorId: 'local',
    });
    const stored = await backend.listMessages(thread.id);
    expect(stored.items.filter((message) => message.id === 'client-id-1')).toHaveLength(1);
  });

  it('stops a streaming answer and keeps the partial text as cancelled', async () => {
    const pieces = Array.from({ length: 200 }, (_, index) => `w${index} `);
    const backend = scriptedBackend({ reply: (_, { signal }) => slowly(pieces, signal, 2) });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const done = controller.send('Tell me a long story');
    await new Promise<void>((resolve) => {
      const stop = controller.subscribe(() => {
        const answer = controller.getSnapshot().messages[1];
        if (answer && messageText(answer).length > 10) {
          stop();
          resolve();
        }
      });
    });
    await controller.stop();
    const answer = await done;
    expect(answer?.status).toBe('cancelled');
    const text = messageText(answer!);
    expect(text.length).toBeGreaterThan(10);
    expect(text.length).toBeLessThan(pieces.join('').length);
    expect(controller.getSnapshot().status).toBe('ready');
  });

  it('puts a failed answer and its error in the state', async () => {
    const backend = scriptedBackend({
      reply: async function* () {
        yield 'partial ';
        throw new Error('upstream exploded');
      },
    });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const answer = await controller.send('hello');
    const state = controller.getSnapshot();
    expect(state.status).toBe('error');
    expect(state.error?.code).toBe('model_error');
    expect(answer).toMatchObject({ status: 'failed', error: { code: 'model_error' } });
    expect(messageText(answer!)).toBe('partial ');
  });

  it('marks the message failed when the send is refused, and retry sends the same id', async () => {
    const inner = scriptedBackend();
    let failures = 1;
    const sentIds: (string | undefined)[] = [];
    const flaky: ChatBackend = {
      ...inner,
      async sendMessage(threadId, body, options) {
        sentIds.push(body.id);
        if (failures-- > 0) throw new ConfabError('network_error', 'offline');
        return inner.sendMessage(threadId, body, options);
      },
    };
    const thread = await inner.createThread();
    const controller = new ChatClient({ backend: flaky }).thread(thread.id);

    expect(await controller.send('hello?')).toBeNull();
    let state = controller.getSnapshot();
    expect(state.status).toBe('error');
    expect(state.error?.code).toBe('network_error');
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatchObject({ status: 'failed', error: { code: 'network_error' } });

    const answer = await controller.retry();
    state = controller.getSnapshot();
    expect(answer?.status).toBe('complete');
    expect(sentIds[0]).toBeDefined();
    expect(sentIds).toEqual([sentIds[0], sentIds[0]]);
    expect(state.messages.map((message) => message.status)).toEqual(['complete', 'complete']);
    expect(state.error).toBeNull();
  });

  it('retries a failed answer by regenerating it in its place', async () => {
    let calls = 0;
    const backend = scriptedBackend({
      reply: async function* (messages) {
        calls++;
        if (calls === 1) throw new Error('upstream exploded');
        yield `Answer to ${messageText(messages.at(-1)!)}`;
      },
    });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const failed = await controller.send('hello');
    expect(failed?.status).toBe('failed');
    expect(controller.getSnapshot().canRetry).toBe(true);

    const states = record(controller);
    const answer = await controller.retry();
    expect(answer).toMatchObject({ status: 'complete', parentId: failed!.parentId });
    expect(answer!.id).not.toBe(failed!.id);
    // The failed answer leaves the list as soon as the new one starts, never both at once.
    for (const state of states) {
      const ids = state.messages.map((message) => message.id);
      expect(ids.includes(failed!.id) && ids.includes(answer!.id)).toBe(false);
    }
    const state = controller.getSnapshot();
    expect(state.messages.map((message) => messageText(message))).toEqual([
      'hello',
      'Answer to hello',
    ]);
    expect(state).toMatchObject({ status: 'ready', error: null, canRetry: false });

    // The server keeps both answers, as versions of the turn; a fresh load shows the current one.
    const versions = await backend.store.listChildren(
      { userId: 'local' },
      thread.id,
      failed!.parentId,
    );
    expect(versions.map((message) => message.status)).toEqual(['failed', 'complete']);
    const reloaded = new ChatClient({ backend }).thread(thread.id);
    await reloaded.load();
    expect(reloaded.getSnapshot().messages.map((message) => message.id)).toEqual([
      failed!.parentId,
      answer!.id,
    ]);
  });

  it('regenerates the latest answer with another model, and knows a failed one from history', async () => {
    const models = [
      { id: 'fast', label: 'Fast', provider: 'memory', contextWindow: null },
      { id: 'smart', label: 'Smart', provider: 'memory', contextWindow: null },
    ];
    let fail = true;
    const backend = scriptedBackend({
      models,
      reply: () => {
        if (fail) throw new Error('down');
        return 'fine';
      },
    });
    const thread = await backend.createThread();
    await new ChatClient({ backend }).thread(thread.id).send('question');

    // A controller that only loaded the history can still retry the failed answer.
    const controller = new ChatClient({ backend }).thread(thread.id);
    await controller.load();
    expect(controller.getSnapshot()).toMatchObject({ canRetry: true, error: null });
    fail = false;
    const retried = await controller.retry();
    expect(retried).toMatchObject({ status: 'complete', model: 'fast' });

    const again = await controller.regenerate(retried!.id, { model: 'smart' });
    expect(again).toMatchObject({
      status: 'complete',
      model: 'smart',
      parentId: retried!.parentId,
    });
    expect(controller.getSnapshot().messages.map((message) => message.id)).toEqual([
      retried!.parentId,
      again!.id,
    ]);
  });

  it('keeps a refused regeneration for retry, with the same id', async () => {
    const inner = scriptedBackend({ reply: () => 'ok' });
    const ids: (string | undefined)[] = [];
    let failures = 1;
    const flaky: ChatBackend = {
      ...inner,
      async regenerateMessage(threadId, messageId, body, options) {
        ids.push(body?.id);
        if (failures-- > 0) throw new ConfabError('network_error', 'offline');
        return inner.regenerateMessage(threadId, messageId, body, options);
      },
    };
    const thread = await inner.createThread();
    const controller = new ChatClient({ backend: flaky }).thread(thread.id);
    const first = await controller.send('hi');
    expect(await controller.regenerate(first!.id)).toBeNull();
    const refused = controller.getSnapshot();
    expect(refused).toMatchObject({ status: 'error', canRetry: true });
    expect(refused.error?.code).toBe('network_error');
    expect(refused.messages.map((message) => message.id)).toContain(first!.id);

    const answer = await controller.retry();
    expect(answer?.status).toBe('complete');
    expect(ids).toEqual([ids[0], ids[0]]);
    expect(answer!.id).toBe(ids[0]);
  });

  it('regenerates an earlier answer as a new branch, and refuses a question or an unknown id', async () => {
    const backend = scriptedBackend({ reply: () => 'ok' });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const first = await controller.send('one');
    await controller.send('two');
    // The server regenerates any answer: the branch from its question on becomes the current one.
    const again = await controller.regenerate(first!.id);
    expect(again).toMatchObject({ status: 'complete', parentId: first!.parentId });
    expect(controller.getSnapshot().messages.map((message) => message.id)).toEqual([
      first!.parentId,
      again!.id,
    ]);
    expect(await controller.regenerate(first!.parentId!)).toBeNull();
    expect(controller.getSnapshot().error?.code).toBe('invalid_request');
    expect(await controller.regenerate('nope')).toBeNull();
    expect(controller.getSnapshot().error?.code).toBe('not_found');
  });

  it('refuses a second send while an answer is streaming', async () => {
    const backend = scriptedBackend({ reply: (_, { signal }) => slowly(['a', 'b', 'c'], signal) });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const first = controller.send('one');
    await expect(controller.send('two')).rejects.toMatchObject({ code: 'generation_in_progress' });
    await first;
  });

  it('loads the newest page, then older pages, without duplicates', async () => {
    const backend = scriptedBackend({ reply: () => 'ok' });
    const thread = await backend.createThread();
    for (let index = 0; index < 7; index++)
      await backend.sendMessageAndWait(thread.id, { text: `q${index}` });
    const controller = new ChatClient({ backend, pageSize: 5 }).thread(thread.id);

    await controller.load();
    expect(controller.getSnapshot().messages.map((message) => message.sequence)).toEqual([
      9, 10, 11, 12, 13,
    ]);
    expect(controller.getSnapshot().hasOlder).toBe(true);
    await controller.loadOlder();
    await controller.loadOlder();
    const state = controller.getSnapshot();
    expect(state.messages.map((message) => message.sequence)).toEqual(
      Array.from({ length: 14 }, (_, index) => index),
    );
    expect(state.hasOlder).toBe(false);
  });

  it('reports a load error in the state', async () => {
    const controller = new ChatClient({ backend: scriptedBackend() }).thread('missing');
    await controller.load();
    expect(controller.getSnapshot().error?.code).toBe('not_found');
  });

  it('gives one controller per thread', () => {
    const client = new ChatClient({ backend: scriptedBackend() });
    expect(client.thread('a')).toBe(client.thread('a'));
    expect(client.thread('a')).not.toBe(client.thread('b'));
  });

  it('announces deltas that arrive before a scheduled flush once, and structure at once', async () => {
    const backend = scriptedBackend({
      reply: (_, { signal }) => slowly(['a', 'b', 'c', 'd', 'e', 'f'], signal, 1),
    });
    const thread = await backend.createThread();
    const flushes: (() => void)[] = [];
    const controller = new ChatClient({
      backend,
      scheduler: (flush) => flushes.push(flush),
    }).thread(thread.id);
    const states = record(controller);

    const sent = controller.send('Letters');
    // Let every delta arrive without running a scheduled flush.
    while (
      !controller
        .getSnapshot()
        .messages.some((message) => message.status === 'complete' && message.role === 'assistant')
    ) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await sent;

    // One flush was scheduled for the whole burst of deltas, and message-end published the text.
    expect(flushes).toHaveLength(1);
    const texts = states
      .map((state) => state.messages.find((message) => message.role === 'assistant'))
      .filter((message) => message !== undefined)
      .map((message) => messageText(message));
    expect(texts).not.toContain('abc');
    expect(texts.at(-1)).toBe('abcdef');
    const published = states.length;
    flushes[0]!();
    expect(states).toHaveLength(published);
  });

  it('keeps earlier snapshots unchanged while deltas are drafted', async () => {
    const backend = scriptedBackend({
      reply: (_, { signal }) => slowly(['one ', 'two ', 'three'], signal, 1),
    });
    const thread = await backend.createThread();
    const controller = new ChatClient({ backend }).thread(thread.id);
    const states: ThreadState[] = [];
    const seen: string[][] = [];
    controller.subscribe(() => {
      const state = controller.getSnapshot();
      states.push(state);
      seen.push(state.messages.map((message) => messageText(message)));
    });
    await controller.send('Count');
    // Each published state still shows what it showed when it was published.
    expect(states.map((state) => state.messages.map((message) => messageText(message)))).toEqual(
      seen,
    );
    expect(seen.map((texts) => texts[1])).toEqual(
      expect.arrayContaining(['one ', 'one two ', 'one two three']),
    );
  });

  it('keeps a send made while the history was being fetched', async () => {
    const backend = scriptedBackend({ reply: () => ['Answer'] });
    const thread = await backend.createThread();
    await backend.sendMessageAndWait(thread.id, { text: 'first' });
    // The first page is read before the send and answers after it.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: ChatBackend = {
      ...backend,
      listMessages: async (threadId, query, options) => {
        const page = await backend.listMessages(threadId, query, options);
        await gate;
        return page;
      },
    };
    const controller = new ChatClient({ backend: slow }).thread(thread.id);
    const loading = controller.load();
    await controller.send('second');
    release();
    await loading;
    const state = controller.getSnapshot();
    expect(state.messages.map((message) => messageText(message))).toEqual([
      'first',
      'Answer',
      'second',
      'Answer',
    ]);
    state.messages.forEach((message, index) => {
      expect(message.parentId).toBe(index === 0 ? null : state.messages[index - 1]!.id);
    });
  });

  it("follows the thread live while it has listeners: another client's send appears as it streams", async () => {
    const backend = scriptedBackend({
      reply: (_, { signal }) => slowly(['Live', ' text'], signal),
    });
    const thread = await backend.createThread();
    const watcher = new ChatClient({ backend, live: true }).thread(thread.id);
    const states = record(watcher);
    // Following starts with the first listener; give its stream a turn to open.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const sender = new ChatClient({ backend }).thread(thread.id);
    await sender.send('From the other tab');
    await new Promise((resolve) => setTimeout(resolve, 5));

    const seen = watcher.getSnapshot().messages;
    expect(seen.map((message) => [message.role, message.status, messageText(message)])).toEqual([
      ['user', 'complete', 'From the other tab'],
      ['assistant', 'complete', 'Live text'],
    ]);
    // It streamed there too: an intermediate state held part of the answer.
    const texts = states.map((state) => messageText(state.messages[1] ?? { parts: [] }));
    expect(texts).toContain('Live');
    watcher.dispose();
  });

  it('skips chunk types it does not know and keeps parts of types it does not know', async () => {
    const { question, answer } = storedTurn('Weather?', 'complete');
    const events: [string, object][] = [
      ['1', { type: 'message-created', message: question }],
      ['2', { type: 'message-created', message: { ...answer, status: 'streaming', parts: [] } }],
      ['3', { type: 'run-started', messageId: 'a1' }],
      ['3.1', { type: 'text-start', messageId: 'a1', id: '0' }],
      ['3.2', { type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: '{"ci' }],
      ['3.3', { type: 'text-delta', id: '0', delta: 'Sunny' }],
      ['3.4', { type: 'data-weather', data: { celsius: 21 } }],
      ['', { type: 'typing', userId: 'u2' }],
      [
        '4',
        {
          type: 'message-updated',
          message: {
            ...answer,
            parts: [
              { type: 'text', text: 'Sunny' },
              { type: 'tool-weather', toolCallId: 'c1', state: 'output-available' },
            ],
          },
        },
      ],
      ['5', { type: 'run-finished', messageId: 'a1', status: 'complete' }],
    ];
    const body = events
      .map(([id, chunk]) => `${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(chunk)}\n\n`)
      .join('');
    const backend = httpBackend({
      baseUrl: 'http://confab.test/api/chat',
      fetch: async () =>
        new Response(`${body}data: [DONE]\n\n`, {
          headers: { 'content-type': 'text/event-stream' },
        }),
    });
    // A new thread: nothing to load, so the only request is the send the stub answers.
    const controller = new ChatClient({ backend }).thread('t1', { isNew: true });
    const states = record(controller);
    const result = await controller.send({ id: 'q1', text: 'Weather?' });
    expect(controller.getSnapshot()).toMatchObject({ status: 'ready', error: null });
    expect(result?.parts).toEqual([
      { type: 'text', text: 'Sunny' },
      { type: 'tool-weather', toolCallId: 'c1', state: 'output-available' },
    ]);
    expect(
      states.some((state) => messageText(state.messages[1] ?? { parts: [] }) === 'Sunny'),
    ).toBe(true);
  });

  it('applies the deltas of one network read together, announcing them once', async () => {
    const { question, answer } = storedTurn('Letters?', 'streaming');
    const sse = (id: string, chunk: object) => `id: ${id}\ndata: ${JSON.stringify(chunk)}\n\n`;
    const delta = (position: number, text: string) =>
      sse(`3.${position}`, { type: 'text-delta', id: '0', delta: text });
    const reads = [
      sse('1', { type: 'message-created', message: question }) +
        sse('2', { type: 'message-created', message: answer }) +
        sse('3', { type: 'run-started', messageId: 'a1' }) +
        sse('3.1', { type: 'text-start', messageId: 'a1', id: '0' }) +
        delta(2, 'a') +
        delta(3, 'b') +
        delta(4, 'c'),
      delta(5, 'd') + delta(6, 'e'),
      sse('4', {
        type: 'message-updated',
        message: { ...answer, status: 'complete', parts: [{ type: 'text', text: 'abcde' }] },
      }) +
        sse('5', { type: 'run-finished', messageId: 'a1', status: 'complete' }) +
        'data: [DONE]\n\n',
    ];
    const backend = httpBackend({
      baseUrl: 'http://confab.test/api/chat',
      fetch: async () => {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = reads.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(encoder.encode(next));
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      },
    });
    // A new thread: nothing to load, so the only request is the send the stub answers.
    const controller = new ChatClient({ backend }).thread('t1', { isNew: true });
    const states: ThreadState[] = [];
    const seen: string[] = [];
    const answerText = (state: ThreadState) => {
      const message = state.messages.find((item) => item.role === 'assistant');
      return message ? messageText(message) : null;
    };
    controller.subscribe(() => {
      const state = controller.getSnapshot();
      states.push(state);
      seen.push(answerText(state) ?? '-');
    });
    await controller.send({ id: 'q1', text: 'Letters?' });

    // One announcement per read: the text of a whole read at once, never a delta of it alone.
    const texts = seen.filter((text) => text !== '-' && text !== '');
    expect(new Set(texts)).toEqual(new Set(['abc', 'abcde']));
    // The draft changed in place is never one a listener was given: each state still shows
    // what it showed when it was announced.
    expect(states.map((state) => answerText(state) ?? '-')).toEqual(seen);
  });
});
