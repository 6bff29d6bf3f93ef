import { type Message, messageText } from '@confab/core';
import { toUIMessages } from '@confab/core/ai-sdk';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessBus, inProcessBusRegistry } from '../bus/in-process-bus';
import type { ChatModel } from '../models/chat-model';
import { demoModel } from '../models/demo-model';
import type { ChatStore } from '../store/chat-store';
import { handlerFetch, RecordingChat, uiText, until } from './ai-sdk-chat';
import { gatedModel } from './gated-model';
import { scriptedModel, upstreamFailure } from './scripted-model';
import { testApp } from './test-app';

const api = '/api/chat/ui-message-stream';

/**
 * What an app built on the AI SDK's `useChat` with `DefaultChatTransport` gets from Confab's
 * handler, on a given store: the AI SDK's own chat logic drives the real handler in-process.
 */
export function describeUIMessageStream(
  name: string,
  createStore: () => Promise<{ store: ChatStore; close(): Promise<void> }>,
) {
  describe(`useChat with DefaultChatTransport: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setup(model: ChatModel = demoModel({ tokenDelayMs: 0 })) {
      const { store, close } = await createStore();
      const app = testApp({ store, model });
      cleanups.push(close, () => app.handler.close());
      const user = `u-${crypto.randomUUID()}`;
      const chat = (options: { id?: string; messages?: UIMessage[]; as?: string | null } = {}) =>
        new RecordingChat({
          ...(options.id ? { id: options.id } : {}),
          ...(options.messages ? { messages: options.messages } : {}),
          transport: new DefaultChatTransport({
            api,
            fetch: handlerFetch(app.handler, options.as === undefined ? user : options.as),
          }),
        });
      const stored = async (chatId: string, as = user): Promise<Message[]> => {
        const page = await app.call('GET', `/threads/${chatId}/messages`, { user: as });
        return page.json.items;
      };
      return { app, store, user, chat, stored };
    }

    it('stores the conversation in the thread named by the chat id and streams the stored answer', async () => {
      const { app, user, chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Hello there' });
      expect(chat.status).toBe('ready');
      expect(chat.statuses).toContain('streaming');

      const thread = await app.call('GET', `/threads/${chat.id}`, { user });
      expect(thread.status).toBe(200);
      expect(thread.json).toMatchObject({ id: chat.id, ownerId: user, title: 'Hello there' });
      const [question, answer] = await stored(chat.id);
      expect(question).toMatchObject({
        id: chat.messages[0]!.id,
        role: 'user',
        status: 'complete',
      });
      expect(messageText(question!)).toBe('Hello there');
      expect(answer).toMatchObject({
        id: chat.messages[1]!.id,
        role: 'assistant',
        status: 'complete',
      });
      expect(messageText(answer!).length).toBeGreaterThan(20);
      expect(chat.lastText).toBe(messageText(answer!));

      // The next send goes into the same thread, after the first answer.
      await chat.sendMessage({ text: 'And again' });
      const messages = await stored(chat.id);
      expect(messages.map((message) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
      expect(messages[2]!.parentId).toBe(answer!.id);
      expect(chat.lastText).toBe(messageText(messages[3]!));
    });

    it('answers in the UI message stream protocol', async () => {
      const { app, user } = await setup(scriptedModel({ pieces: ['Hel', 'lo'] }));
      const response = await app.handler(
        app.request('POST', '/ui-message-stream', {
          user,
          body: {
            id: 'protocol-chat',
            trigger: 'submit-message',
            messages: [{ id: 'q1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
          },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = (await response.text())
        .split('\n\n')
        .filter((event) => event.startsWith('data: '))
        .map((event) => event.slice('data: '.length));
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
      const answerId = chunks[0].messageId;
      expect(chunks).toEqual([
        { type: 'start', messageId: answerId },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: 'Hel' },
        { type: 'text-delta', id: '0', delta: 'lo' },
        { type: 'text-end', id: '0' },
        { type: 'finish', finishReason: 'stop' },
      ]);
      const page = await app.call('GET', '/threads/protocol-chat/messages', { user });
      expect(page.json.items.map((message: Message) => message.id)).toEqual(['q1', answerId]);
    });

    it('keeps a quiet answer stream alive with heartbeat comments', async () => {
      const { model, release } = gatedModel();
      const { store, close } = await createStore();
      const app = testApp({ store, model, heartbeatMs: 20 });
      cleanups.push(close, () => app.handler.close());
      const response = await app.handler(
        app.request('POST', '/ui-message-stream', {
          body: {
            id: `quiet-${crypto.randomUUID()}`,
            trigger: 'submit-message',
            messages: [{ id: 'q1', role: 'user', parts: [{ type: 'text', text: 'Hm?' }] }],
          },
        }),
      );
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const readUntil = async (end: string, from = 0) => {
        while (!text.includes(end, from)) {
          const { done, value } = await reader.read();
          if (done) throw new Error(`The stream ended before "${end}".`);
          text += value;
        }
      };
      try {
        await readUntil('"delta":"first"');
        // The model is quiet now: the stream goes on with heartbeats.
        await readUntil(': ping\n\n', text.length);
      } finally {
        release();
      }
      await readUntil('[DONE]');
      expect(text).toContain('"delta":" second"');
    });

    it('stores a repeated send once and streams the same answer again', async () => {
      const { app, user, chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Only once' });
      const before = await stored(chat.id);
      const body = {
        id: chat.id,
        trigger: 'submit-message',
        messages: chat.messages.slice(0, 1),
      };
      const again = await app.call('POST', '/ui-message-stream', { user, body });
      expect(again.status).toBe(200);
      expect(await stored(chat.id)).toEqual(before);
      const replayed = again.text
        .split('\n\n')
        .filter((event) => event.startsWith('data: {'))
        .map((event) => JSON.parse(event.slice('data: '.length)));
      expect(replayed[0]).toEqual({ type: 'start', messageId: before[1]!.id });
      expect(
        replayed
          .filter((chunk) => chunk.type === 'text-delta')
          .map((chunk) => chunk.delta)
          .join(''),
      ).toBe(messageText(before[1]!));
    });

    it('reloads a chat from the stored thread and carries on in it', async () => {
      const { chat: newChat, stored } = await setup();
      const first = newChat();
      await first.sendMessage({ text: 'Remember me' });

      const reloaded = newChat({ id: first.id, messages: toUIMessages(await stored(first.id)) });
      expect(
        reloaded.messages.map((message) => [message.id, message.role, uiText(message)]),
      ).toEqual(first.messages.map((message) => [message.id, message.role, uiText(message)]));
      await reloaded.sendMessage({ text: 'Next question' });
      const messages = await stored(first.id);
      expect(messages).toHaveLength(4);
      expect(reloaded.messages.map((message) => message.id)).toEqual(
        messages.map((message) => message.id),
      );
    });

    it('takes the history from the thread: a body with the last message only is enough', async () => {
      const { app, user } = await setup(
        demoModel({ tokenDelayMs: 0, reply: (messages) => `I see ${messages.length} messages` }),
      );
      const chat = new RecordingChat({
        transport: new DefaultChatTransport({
          api,
          fetch: handlerFetch(app.handler, user),
          prepareSendMessagesRequest: ({ id, messages, trigger, messageId, body }) => ({
            body: { ...body, id, trigger, messageId, messages: messages.slice(-1) },
          }),
        }),
      });
      await chat.sendMessage({ text: 'One' });
      await chat.sendMessage({ text: 'Two' });
      expect(chat.messages.map(uiText)).toEqual([
        'One',
        'I see 1 messages',
        'Two',
        'I see 3 messages',
      ]);
      await chat.regenerate();
      expect(chat.lastText).toBe('I see 3 messages');
      expect(chat.status).toBe('ready');
    });

    it('regenerates the answer beside the earlier one', async () => {
      let calls = 0;
      const {
        store,
        user,
        chat: newChat,
        stored,
      } = await setup(demoModel({ tokenDelayMs: 0, reply: () => `Answer number ${++calls}` }));
      const chat = newChat();
      await chat.sendMessage({ text: 'Pick a number' });
      const [question, firstAnswer] = await stored(chat.id);
      await chat.regenerate();
      expect(chat.status).toBe('ready');
      expect(chat.lastText).toBe('Answer number 2');
      const messages = await stored(chat.id);
      // The thread's current branch is what the chat shows; the earlier answer is its version.
      expect(messages.map((message) => message.id)).toEqual([question!.id, chat.messages[1]!.id]);
      expect(messageText(messages[1]!)).toBe('Answer number 2');
      expect(toUIMessages(messages).map((message) => message.id)).toEqual(
        chat.messages.map((message) => message.id),
      );
      const versions = await store.listChildren({ userId: user }, chat.id, question!.id);
      expect(versions.map((message) => message.id)).toEqual([firstAnswer!.id, messages[1]!.id]);

      // Naming the answer regenerates that one.
      await chat.regenerate({ messageId: chat.messages[1]!.id });
      expect(chat.lastText).toBe('Answer number 3');
      expect((await store.listChildren({ userId: user }, chat.id, question!.id)).length).toBe(3);
    });

    it('says when the model fails, and keeps the failed answer', async () => {
      const { chat: newChat, stored } = await setup(
        scriptedModel({ pieces: ['Partial', ' answer'], failWith: upstreamFailure, failAfter: 1 }),
      );
      const chat = newChat();
      await chat.sendMessage({ text: 'Break' });
      expect(chat.status).toBe('error');
      expect(chat.error?.message).toBe(upstreamFailure.message);
      const [, answer] = await stored(chat.id);
      expect(answer).toMatchObject({ status: 'failed', error: { code: 'model_error' } });
      expect(chat.lastText).toBe('Partial');
    });

    it('stop closes the stream; the answer still finishes and is stored', async () => {
      const { model, release } = gatedModel();
      const { app, chat: newChat, stored } = await setup(model);
      const chat = newChat();
      const sending = chat.sendMessage({ text: 'Go slowly' });
      await until(() => chat.lastText === 'first');
      await chat.stop();
      await sending;
      expect(chat.status).toBe('ready');
      expect(chat.lastText).toBe('first');
      release();
      await app.handler.idle();
      const [, answer] = await stored(chat.id);
      expect(answer).toMatchObject({ status: 'complete' });
      expect(messageText(answer!)).toBe('first second');
    });

    for (const across of [false, true]) {
      it(`resumes the answer being generated after a reload${across ? ', on another instance' : ''}`, async () => {
        const { model, release } = gatedModel();
        const { store, close } = await createStore();
        const registry = inProcessBusRegistry();
        const options = { store, model, flushIntervalMs: 20 };
        const a = testApp({ ...options, bus: inProcessBus({ registry }) });
        const b = across ? testApp({ ...options, bus: inProcessBus({ registry }) }) : a;
        cleanups.push(
          close,
          () => a.handler.close(),
          () => b.handler.close(),
        );
        const user = `u-${crypto.randomUUID()}`;
        const transport = (app: typeof a) =>
          new DefaultChatTransport({ api, fetch: handlerFetch(app.handler, user) });

        const first = new RecordingChat({ transport: transport(a) });
        const sending = first.sendMessage({ text: 'Tell me slowly' });
        await until(() => first.lastText === 'first');

        // The page reloads: the stored thread, then the stream of the answer still running.
        const page = await b.call('GET', `/threads/${first.id}/messages`, { user });
        expect(page.json.items[1]).toMatchObject({ status: 'streaming' });
        const reloaded = new RecordingChat({
          id: first.id,
          messages: toUIMessages(page.json.items),
          transport: transport(b),
        });
        const resuming = reloaded.resumeStream();
        await until(() => reloaded.status === 'streaming');
        release();
        await Promise.all([sending, resuming]);

        const [, answer] = (await b.call('GET', `/threads/${first.id}/messages`, { user })).json
          .items as Message[];
        expect(answer).toMatchObject({ status: 'complete' });
        expect(reloaded.messages).toHaveLength(2);
        expect(reloaded.messages[1]!.id).toBe(answer!.id);
        expect(reloaded.lastText).toBe('first second');
        expect(first.lastText).toBe('first second');
      });
    }

    it('resumes nothing when no answer is being generated (204)', async () => {
      const { app, user, chat: newChat } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Done already' });
      const before = chat.messages;
      await chat.resumeStream();
      expect(chat.status).toBe('ready');
      expect(chat.messages).toBe(before);
      const idle = await app.call('GET', `/ui-message-stream/${chat.id}/stream`, { user });
      expect(idle.status).toBe(204);
      // A chat not sent to yet, and somebody else's, have nothing to resume either.
      expect((await app.call('GET', '/ui-message-stream/never-sent/stream', { user })).status).toBe(
        204,
      );
      expect(
        (await app.call('GET', `/ui-message-stream/${chat.id}/stream`, { user: 'mallory' })).status,
      ).toBe(204);
    });

    it("refuses another user's chat (404) and a caller without auth (401)", async () => {
      const { app, user, chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Mine' });
      const before = await stored(chat.id);

      const intruder = newChat({ id: chat.id, as: 'mallory' });
      await intruder.sendMessage({ text: 'Let me in' });
      expect(intruder.status).toBe('error');
      expect(intruder.error?.message).toContain('Thread not found.');
      const raw = await app.call('POST', '/ui-message-stream', {
        user: 'mallory',
        body: { id: chat.id, trigger: 'regenerate-message', messages: chat.messages.slice(0, 1) },
      });
      expect(raw.status).toBe(404);
      expect(raw.json).toEqual({ error: { code: 'not_found', message: 'Thread not found.' } });

      const anonymous = newChat({ as: null });
      await anonymous.sendMessage({ text: 'Who am I?' });
      expect(anonymous.status).toBe('error');
      const unauthorized = await app.handler(
        new Request(`http://localhost${api}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'x', trigger: 'submit-message', messages: [] }),
        }),
      );
      expect(unauthorized.status).toBe(401);
      expect(await stored(chat.id, user)).toEqual(before);

      // Editing a sent message (the same id with another text) is refused: 409.
      await chat.sendMessage({ text: 'Edited', messageId: chat.messages[0]!.id });
      expect(chat.status).toBe('error');
      expect(chat.error?.message).toContain('Editing a sent message is not supported');
      expect(await stored(chat.id, user)).toEqual(before);
    });

    it('refuses a bad body with 400 and the paths of what is wrong', async () => {
      const { app, user } = await setup();
      const post = (body: unknown) => app.call('POST', '/ui-message-stream', { user, body });
      const question = { id: 'q1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] };
      const cases: [unknown, (string | number)[]][] = [
        [{ id: 'chat-1', trigger: 'submit-message', messages: [] }, ['messages']],
        [{ id: 'chat-1', trigger: 'send', messages: [question] }, ['trigger']],
        [{ id: 'a b', trigger: 'submit-message', messages: [question] }, ['id']],
        [
          { id: 'chat-1', messages: [{ ...question, id: 7 }], trigger: 'submit-message' },
          ['messages', 0, 'id'],
        ],
        [
          {
            id: 'chat-1',
            trigger: 'submit-message',
            messages: [{ ...question, role: 'assistant' }],
          },
          ['messages', 0, 'role'],
        ],
        [
          {
            id: 'chat-1',
            trigger: 'submit-message',
            messages: [{ ...question, parts: [{ type: 'step-start' }] }],
          },
          ['messages', 0, 'parts'],
        ],
      ];
      for (const [body, path] of cases) {
        const response = await post(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.json.error.code).toBe('invalid_request');
        expect(
          response.json.error.issues.map((issue: { path: unknown }) => issue.path),
        ).toContainEqual(path);
      }
      const notJson = await app.call('POST', '/ui-message-stream', {
        user,
        raw: '{',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.status).toBe(400);
      expect((await app.call('GET', '/threads', { user })).json.items).toEqual([]);
    });
  });
}
