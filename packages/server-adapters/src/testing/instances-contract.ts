import { messageText } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadEventBus } from '../bus/thread-event-bus';
import type { ChatModel } from '../models/chat-model';
import type { ChatStore } from '../store/chat-store';
import { deltaText, eventReader } from './event-reader';
import { scriptedModel } from './scripted-model';
import { testApp } from './test-app';

/** Two server instances: each its own store connection and bus, sharing one database. */
export interface InstancePair {
  stores: [ChatStore, ChatStore];
  buses: [ThreadEventBus, ThreadEventBus];
  /** Closes the stores and buses (the handlers are closed by the suite). */
  close(): Promise<void>;
}

const pieces = Array.from({ length: 60 }, (_, index) => `t${index} `);
const fullText = pieces.join('');

/**
 * What must hold across instances that share a store and a bus: one answer per thread, stop
 * and delete from anywhere, live events on every instance, resuming on another instance, and a
 * dead instance's answer settled by the others.
 */
/** Starts an answer on an instance, and resolves with its stream once the first delta came. */
async function answering(
  app: ReturnType<typeof testApp>,
  threadId: string,
  user: string,
  text: string,
) {
  const reader = eventReader(
    await app.handler(
      app.request('POST', `/threads/${threadId}/messages`, { user, body: { text } }),
    ),
  );
  await reader.until(({ chunk }) => chunk.type === 'text-delta');
  return reader;
}

export function describeTwoInstances(name: string, createPair: () => Promise<InstancePair>) {
  describe(`two instances: ${name}`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      close = undefined;
    });

    async function instances(model: ChatModel = scriptedModel({ pieces, delayMs: 4 })) {
      const pair = await createPair();
      const options = { model, leaseMs: 600, flushIntervalMs: 50 };
      const a = testApp({ ...options, store: pair.stores[0], bus: pair.buses[0] });
      const b = testApp({ ...options, store: pair.stores[1], bus: pair.buses[1] });
      close = async () => {
        await Promise.all([a.handler.close(), b.handler.close()]);
        await pair.close();
      };
      const user = `u-${crypto.randomUUID()}`;
      const thread = await a.createThread(user);
      return { a, b, user, thread };
    }

    it('streams an answer started on one instance live to a follower on the other', async () => {
      const { a, b, user, thread } = await instances();
      const follower = eventReader(
        await b.handler(b.request('GET', `/threads/${thread.id}/events`, { user })),
      );
      // Following is live once the response is there; give the bus a moment to subscribe.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const sent = await a.send(thread.id, { text: 'Tell me' }, { user });
      expect(deltaText(sent.events)).toBe(fullText);
      await follower.until(({ chunk }) => chunk.type === 'run-finished');
      const created = follower.events.find(({ chunk }) => chunk.type === 'message-created');
      expect(created?.chunk).toMatchObject({ message: { role: 'user' } });
      // Whether it had every delta or the answer so far and the rest, the text is whole.
      const snapshot = follower.events.find(
        ({ chunk }) => chunk.type === 'message-updated' && chunk.message.status === 'streaming',
      );
      const before =
        snapshot?.chunk.type === 'message-updated' ? messageText(snapshot.chunk.message) : '';
      const after = follower.events.slice(snapshot ? follower.events.indexOf(snapshot) : 0);
      expect(before + deltaText(after)).toBe(fullText);
      await follower.cancel();
    });

    it('refuses a second answer on the other instance while one runs (409), then takes the next', async () => {
      const { a, b, user, thread } = await instances();
      const reader = await answering(a, thread.id, user, 'one');
      const second = await b.call('POST', `/threads/${thread.id}/messages`, {
        user,
        body: { text: 'two' },
      });
      expect(second.status).toBe(409);
      expect(second.json.error.code).toBe('generation_in_progress');
      await reader.rest();
      const third = await b.send(thread.id, { text: 'three' }, { user });
      expect(third.answer?.status).toBe('complete');
      const page = await a.call('GET', `/threads/${thread.id}/messages`, { user });
      expect(page.json.items.map((message: { status: string }) => message.status)).toEqual([
        'complete',
        'complete',
        'complete',
        'complete',
      ]);
    });

    it('stops an answer from the other instance, which waits until it is stored', async () => {
      const { a, b, user, thread } = await instances();
      const reader = await answering(a, thread.id, user, 'go');
      const stop = await b.call('POST', `/threads/${thread.id}/stop`, { user });
      expect(stop.json.stopped).toBe(true);
      const stored = await b.call('GET', `/threads/${thread.id}/messages`, { user });
      expect(stored.json.items[1]).toMatchObject({ id: stop.json.messageId, status: 'cancelled' });
      const events = await reader.rest();
      expect(events.at(-1)?.chunk).toMatchObject({ type: 'run-finished', status: 'cancelled' });
      expect(messageText(stored.json.items[1])).toBe(deltaText(events));
    });

    it('deletes a thread from the other instance, stopping its answer there', async () => {
      const { a, b, user, thread } = await instances();
      const reader = await answering(a, thread.id, user, 'go');
      expect((await b.call('DELETE', `/threads/${thread.id}`, { user })).status).toBe(204);
      await reader.rest();
      expect(reader.ended).toBe(true);
      expect((await a.call('GET', `/threads/${thread.id}`, { user })).status).toBe(404);
    });

    it('resumes a stream on the other instance after the last event the client had', async () => {
      const { a, b, user, thread } = await instances();
      const before = eventReader(
        await a.handler(
          a.request('POST', `/threads/${thread.id}/messages`, { user, body: { text: 'go' } }),
        ),
      );
      await before.until(({ chunk }) => chunk.type === 'text-delta' && chunk.delta === 't9 ');
      await before.cancel();
      const last = before.events.at(-1)!.id!;
      const resumed = eventReader(
        await b.handler(
          b.request('GET', `/threads/${thread.id}/events`, {
            user,
            headers: { 'last-event-id': last },
          }),
        ),
      );
      await resumed.until(({ chunk }) => chunk.type === 'run-finished');
      const had = deltaText(before.events);
      const snapshot = resumed.events.find(
        ({ chunk }) => chunk.type === 'message-updated' && chunk.message.status === 'streaming',
      );
      const caughtUp =
        snapshot?.chunk.type === 'message-updated' ? messageText(snapshot.chunk.message) : had;
      expect(caughtUp.startsWith(had)).toBe(true);
      const after = resumed.events.slice(snapshot ? resumed.events.indexOf(snapshot) : 0);
      expect(caughtUp + deltaText(after)).toBe(fullText);
      await resumed.cancel();
    });

    it('settles an answer whose instance died once its lease expires; Retry answers it', async () => {
      const { a, b, user, thread } = await instances(scriptedModel({ pieces: ['Again.'] }));
      // What an instance leaves when it is killed mid-answer: the lease, the partial answer.
      const store = a.store;
      const scope = { userId: user };
      const question = await store.appendMessage(scope, thread.id, {
        id: 'q1',
        parentId: null,
        role: 'user',
        authorId: user,
        parts: [{ type: 'text', text: 'hi' }],
        status: 'complete',
        model: 'scripted',
        metadata: {},
      });
      const now = Date.now();
      await store.acquireRun(scope, thread.id, { messageId: 'a1', expiresAt: now + 400 }, now);
      await store.appendMessage(scope, thread.id, {
        id: 'a1',
        parentId: question.id,
        role: 'assistant',
        authorId: null,
        parts: [{ type: 'text', text: 'Half an ans' }],
        status: 'streaming',
        model: 'scripted',
        metadata: {},
      });
      const busy = await b.call('POST', `/threads/${thread.id}/messages`, {
        user,
        body: { text: 'next' },
      });
      expect(busy.status).toBe(409);
      await new Promise((resolve) => setTimeout(resolve, 450));
      const page = await b.call('GET', `/threads/${thread.id}/messages`, { user });
      expect(page.json.items[1]).toMatchObject({
        id: 'a1',
        status: 'failed',
        error: { code: 'interrupted' },
        parts: [{ type: 'text', text: 'Half an ans' }],
      });
      const retried = await b.call('POST', `/threads/${thread.id}/messages/a1/regenerate`, {
        user,
        headers: { accept: 'application/json' },
      });
      expect(retried.status).toBe(200);
      expect(messageText(retried.json.message)).toBe('Again.');
    });

    it('answers a question stored before a crash when the send is retried with its id', async () => {
      const { a, b, user, thread } = await instances(scriptedModel({ pieces: ['Answered.'] }));
      const store = a.store;
      await store.appendMessage({ userId: user }, thread.id, {
        id: 'asked-1',
        parentId: null,
        role: 'user',
        authorId: user,
        parts: [{ type: 'text', text: 'hi' }],
        status: 'complete',
        model: 'scripted',
        metadata: {},
      });
      const retried = await b.send(thread.id, { id: 'asked-1', text: 'hi' }, { user });
      expect(retried.answer).toMatchObject({ parentId: 'asked-1', status: 'complete' });
      const page = await b.call('GET', `/threads/${thread.id}/messages`, { user });
      expect(page.json.items).toHaveLength(2);
    });
  });
}
