import { type Message, messageText } from '@confab/core';
import { confabChatTransport, toUIMessages } from '@confab/core/ai-sdk';
import type { UIMessage } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessBus, inProcessBusRegistry } from '../bus/in-process-bus';
import type { ChatHandler } from '../handler/create-chat-handler';
import type { ChatModel } from '../models/chat-model';
import { demoModel } from '../models/demo-model';
import type { ChatStore } from '../store/chat-store';
import { handlerFetch, RecordingChat, uiText, until } from './ai-sdk-chat';
import { gatedModel } from './gated-model';
import { testApp } from './test-app';

/**
 * What `useChat` with `confabChatTransport` gets from Confab's handler, on a given store: the
 * AI SDK's own chat logic over the transport, over the real handler in-process.
 */
export function describeConfabChatTransport(
  name: string,
  createStore: () => Promise<{ store: ChatStore; close(): Promise<void> }>,
) {
  describe(`useChat with confabChatTransport: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    const transportFor = (
      handler: ChatHandler,
      user: string,
      fetch: typeof globalThis.fetch = handlerFetch(handler, user),
    ) => confabChatTransport({ endpoint: 'http://localhost/api/chat', fetch });

    async function setup(model: ChatModel = demoModel({ tokenDelayMs: 0 })) {
      const { store, close } = await createStore();
      const app = testApp({ store, model });
      cleanups.push(close, () => app.handler.close());
      const user = `u-${crypto.randomUUID()}`;
      const chat = (options: { id?: string; messages?: UIMessage[]; as?: string } = {}) =>
        new RecordingChat({
          ...(options.id ? { id: options.id } : {}),
          ...(options.messages ? { messages: options.messages } : {}),
          transport: transportFor(app.handler, options.as ?? user),
        });
      const stored = async (chatId: string): Promise<Message[]> =>
        (await app.call('GET', `/threads/${chatId}/messages`, { user })).json.items;
      return { app, store, user, chat, stored };
    }

    it('sends into the thread named by the chat id and streams the stored answer', async () => {
      const { app, user, chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Hello through Confab' });
      expect(chat.status).toBe('ready');
      const thread = await app.call('GET', `/threads/${chat.id}`, { user });
      expect(thread.json).toMatchObject({ id: chat.id, ownerId: user });
      const [question, answer] = await stored(chat.id);
      expect(question!.id).toBe(chat.messages[0]!.id);
      expect(messageText(question!)).toBe('Hello through Confab');
      expect(answer).toMatchObject({ id: chat.messages[1]!.id, status: 'complete' });
      expect(chat.lastText).toBe(messageText(answer!));

      await chat.sendMessage({ text: 'Second' });
      expect((await stored(chat.id)).map((message) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
    });

    it('stores a retried send once and streams the same answer', async () => {
      const { app, user, chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Once only' });
      const before = await stored(chat.id);
      const stream = await transportFor(app.handler, user).sendMessages({
        trigger: 'submit-message',
        chatId: chat.id,
        messageId: undefined,
        messages: chat.messages.slice(0, 1),
        abortSignal: undefined,
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks[0]).toEqual({ type: 'start', messageId: before[1]!.id });
      expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
      expect(chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.delta : '')).join('')).toBe(
        messageText(before[1]!),
      );
      expect(await stored(chat.id)).toEqual(before);
    });

    it('reloads from the stored thread and regenerates beside the stored answer', async () => {
      let calls = 0;
      const {
        store,
        user,
        chat: newChat,
        stored,
      } = await setup(demoModel({ tokenDelayMs: 0, reply: () => `Take ${++calls}` }));
      const first = newChat();
      await first.sendMessage({ text: 'Count' });
      const chat = newChat({ id: first.id, messages: toUIMessages(await stored(first.id)) });
      expect(chat.messages.map(uiText)).toEqual(['Count', 'Take 1']);

      await chat.regenerate();
      expect(chat.status).toBe('ready');
      expect(chat.messages.map(uiText)).toEqual(['Count', 'Take 2']);
      await chat.regenerate({ messageId: chat.messages[1]!.id });
      expect(chat.messages.map(uiText)).toEqual(['Count', 'Take 3']);
      const messages = await stored(first.id);
      const versions = await store.listChildren({ userId: user }, first.id, messages[0]!.id);
      expect(versions.map(messageText)).toEqual(['Take 1', 'Take 2', 'Take 3']);
      expect(toUIMessages(messages).map((message) => message.id)).toEqual(
        chat.messages.map((message) => message.id),
      );
    });

    it('stop() stops the run on the server and keeps the partial answer as cancelled', async () => {
      const { model, release } = gatedModel();
      const { app, chat: newChat, stored } = await setup(model);
      const chat = newChat();
      const sending = chat.sendMessage({ text: 'Go slowly' });
      await until(() => chat.lastText === 'first');
      await chat.stop();
      await sending;
      expect(chat.status).toBe('ready');
      // The model waits for a release that has not come: only the stop can end the run.
      await app.handler.idle();
      release();
      const [, answer] = await stored(chat.id);
      expect(answer).toMatchObject({ status: 'cancelled' });
      expect(messageText(answer!)).toBe('first');
    });

    for (const across of [false, true]) {
      it(`resumes the running answer after a reload${across ? ', on another instance' : ''}`, async () => {
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

        const first = new RecordingChat({ transport: transportFor(a.handler, user) });
        const sending = first.sendMessage({ text: 'Slowly, please' });
        await until(() => first.lastText === 'first');
        const page = await b.call('GET', `/threads/${first.id}/messages`, { user });
        const reloaded = new RecordingChat({
          id: first.id,
          messages: toUIMessages(page.json.items),
          transport: transportFor(b.handler, user),
        });
        const resuming = reloaded.resumeStream();
        await until(() => reloaded.status === 'streaming');
        release();
        await Promise.all([sending, resuming]);
        expect(reloaded.messages).toHaveLength(2);
        expect(reloaded.lastText).toBe('first second');
        expect(reloaded.messages[1]!.parts.filter((part) => part.type === 'text')).toHaveLength(1);
        expect(first.lastText).toBe('first second');
      });
    }

    it('resumes nothing when nothing runs, nor in a chat not sent to yet', async () => {
      const { chat: newChat } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Finished' });
      const before = chat.messages;
      await chat.resumeStream();
      expect(chat.status).toBe('ready');
      expect(chat.messages).toBe(before);
      const fresh = newChat();
      await fresh.resumeStream();
      expect(fresh.status).toBe('ready');
      expect(fresh.messages).toEqual([]);
    });

    it('carries on after the last event when the connection drops mid-answer', async () => {
      const { model, release } = gatedModel();
      const { app, user, stored } = await setup(model);
      let cut = false;
      const cutting: typeof fetch = async (input, init) => {
        const response = await handlerFetch(app.handler, user)(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (cut || !url.endsWith('/messages') || !response.body) return response;
        cut = true;
        // The first answer's stream is closed once its first delta went through.
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) return controller.close();
            controller.enqueue(value);
            if (decoder.decode(value).includes('"text-delta"')) {
              await reader.cancel();
              controller.close();
            }
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const chat = new RecordingChat({ transport: transportFor(app.handler, user, cutting) });
      const sending = chat.sendMessage({ text: 'Do not drop me' });
      await until(() => chat.lastText === 'first');
      release();
      await sending;
      expect(cut).toBe(true);
      expect(chat.status).toBe('ready');
      expect(chat.lastText).toBe('first second');
      expect(chat.messages[1]!.parts.filter((part) => part.type === 'text')).toHaveLength(1);
      const [, answer] = await stored(chat.id);
      expect(chat.messages[1]!.id).toBe(answer!.id);
    });

    it("refuses another user's chat (404) and a bad message (400)", async () => {
      const { chat: newChat, stored } = await setup();
      const chat = newChat();
      await chat.sendMessage({ text: 'Private' });
      const before = await stored(chat.id);
      const intruder = newChat({ id: chat.id, as: 'mallory' });
      await intruder.sendMessage({ text: 'Let me in' });
      expect(intruder.status).toBe('error');
      expect(intruder.error).toMatchObject({ code: 'not_found', status: 404 });
      expect(await stored(chat.id)).toEqual(before);

      // Editing a sent message is refused, and the stored one is left as it was.
      await chat.sendMessage({ text: 'Edited', messageId: chat.messages[0]!.id });
      expect(chat.status).toBe('error');
      expect(chat.error).toMatchObject({ code: 'conflict' });
      expect(await stored(chat.id)).toEqual(before);

      const bad = newChat();
      await bad.sendMessage({ files: [{ type: 'file', mediaType: '', url: 'data:,x' }] });
      expect(bad.status).toBe('error');
      expect(bad.error).toMatchObject({ code: 'invalid_request', status: 400 });
    });
  });
}
