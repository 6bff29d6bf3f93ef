import { messageText, type ParsedChunk } from '@confab/core';
import { describe, expect, it } from 'vitest';
import type { ChatModel, ModelEvent } from '../models/chat-model';
import { memoryStore } from '../store/memory-store';
import { deltaText, eventReader } from '../testing/event-reader';
import { scriptedModel } from '../testing/scripted-model';
import { testApp } from '../testing/test-app';

const pieces = Array.from({ length: 40 }, (_, index) => `w${index} `);
const fullText = pieces.join('');

function follow(app: ReturnType<typeof testApp>, threadId: string, headers = {}, query = '') {
  return app.handler(app.request('GET', `/threads/${threadId}/events${query}`, { headers }));
}

/** The position of a live event (`<run>.<position>`), or null for a logged one. */
function livePosition(event: ParsedChunk): number | null {
  const dot = event.id?.indexOf('.') ?? -1;
  return dot < 0 ? null : Number(event.id!.slice(dot + 1));
}

describe('GET /threads/:id/events', () => {
  it("follows everything that happens to the thread: another request's send, live, to its end", async () => {
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 2 }) });
    const thread = await app.createThread();
    const response = await follow(app, thread.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('confab-protocol')).toBe('1');
    const reader = eventReader(response);

    const sent = await app.send(thread.id, { text: 'Tell me' });
    await reader.until(({ chunk }) => chunk.type === 'run-finished');
    // The follower saw what the sender saw, with the same ids.
    expect(reader.events).toEqual(sent.events);
    expect(deltaText(reader.events)).toBe(fullText);

    await app.call('PATCH', `/threads/${thread.id}`, { body: { title: 'Renamed' } });
    const renamed = await reader.until(({ chunk }) => chunk.type === 'thread-updated');
    expect(renamed.chunk).toMatchObject({ thread: { title: 'Renamed' } });
    await reader.cancel();
  });

  it('starts a follower that joins mid-answer from the answer so far, then streams the rest', async () => {
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 4 }) });
    const thread = await app.createThread();
    const sending = app.send(thread.id, { text: 'Tell me' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const reader = eventReader(await follow(app, thread.id));
    const first = await reader.next();
    expect(first?.chunk).toMatchObject({
      type: 'message-updated',
      message: { role: 'assistant', status: 'streaming' },
    });
    const snapshot =
      first?.chunk.type === 'message-updated' ? messageText(first.chunk.message) : '';
    expect(snapshot.length).toBeGreaterThan(0);
    expect(fullText.startsWith(snapshot)).toBe(true);
    await reader.until(({ chunk }) => chunk.type === 'run-finished');
    expect(snapshot + deltaText(reader.events)).toBe(fullText);
    expect((await sending).answer?.status).toBe('complete');
    await reader.cancel();
  });

  it('resumes after the last event it had (Last-Event-ID or ?after=): nothing repeated, nothing lost', async () => {
    for (const how of ['header', 'query'] as const) {
      const app = testApp({ model: scriptedModel({ pieces, delayMs: 3 }) });
      const thread = await app.createThread();
      const response = await app.handler(
        app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'go' } }),
      );
      const before = eventReader(response);
      await before.until((event) => (livePosition(event) ?? 0) >= 8);
      await before.cancel();
      const last = before.events.at(-1)!.id!;
      const text = deltaText(before.events);

      const resumed = eventReader(
        how === 'header'
          ? await follow(app, thread.id, { 'last-event-id': last })
          : await follow(app, thread.id, {}, `?after=${last}`),
      );
      await resumed.until(({ chunk }) => chunk.type === 'run-finished');
      const positions = resumed.events.map(livePosition).filter((at) => at !== null);
      expect(Math.min(...positions)).toBeGreaterThan(livePosition(before.events.at(-1)!)!);
      // What was missed comes as the answer so far; it extends what the client had.
      const snapshot = resumed.events.find(({ chunk }) => chunk.type === 'message-updated');
      const caughtUp =
        snapshot?.chunk.type === 'message-updated' && snapshot.chunk.message.status === 'streaming'
          ? messageText(snapshot.chunk.message)
          : text;
      expect(caughtUp.startsWith(text)).toBe(true);
      expect(caughtUp + deltaText(resumed.events)).toBe(fullText);
      await resumed.cancel();
    }
  });

  it('replays the logged events after a position once the answer is over', async () => {
    const app = testApp();
    const thread = await app.createThread();
    const first = await app.send(thread.id, { text: 'one' });
    const second = await app.send(thread.id, { text: 'two' });
    const reader = eventReader(
      await follow(app, thread.id, { 'last-event-id': first.events.at(-1)!.id! }),
    );
    const logged = second.events.filter((event) => livePosition(event) === null);
    for (let index = 0; index < logged.length; index++) await reader.next();
    // Live chunks are not kept: the log holds the question, the answer as stored, the run.
    expect(reader.events).toEqual(logged);
    await reader.cancel();
  });

  it('tells a client that resumes from too far back to load the thread again', async () => {
    const store = memoryStore();
    const app = testApp({ store });
    const thread = await app.createThread();
    const resync = { type: 'resync' as const };
    await store.appendEvents({ userId: 'ada' }, thread.id, Array(1200).fill(resync));
    const reader = eventReader(await follow(app, thread.id, { 'last-event-id': '5' }));
    expect((await reader.next())?.chunk).toEqual({ type: 'resync' });
    expect((await reader.next())?.id).toBe('201');
    await reader.cancel();
  });

  it('ends with [DONE] when the thread is deleted, stopping its answer', async () => {
    const app = testApp({ model: scriptedModel({ pieces, delayMs: 5 }) });
    const thread = await app.createThread();
    const reader = eventReader(await follow(app, thread.id));
    const sending = app.send(thread.id, { text: 'go' });
    await reader.until(({ chunk }) => chunk.type === 'text-delta');
    expect((await app.call('DELETE', `/threads/${thread.id}`)).status).toBe(204);
    const events = await reader.rest();
    expect(events.at(-1)?.chunk).toEqual({ type: 'thread-deleted', threadId: thread.id });
    expect(reader.ended).toBe(true);
    expect((await sending).answer?.status).toBe('cancelled');
  });

  it('ends when the caller can no longer see the thread (checked with each heartbeat)', async () => {
    const store = memoryStore();
    const app = testApp({ store, heartbeatMs: 20 });
    const thread = await app.createThread();
    const reader = eventReader(await follow(app, thread.id));
    // Deleted behind the handler's back (another tool on the same database).
    await store.deleteThread({ userId: 'ada' }, thread.id);
    expect(await reader.rest()).toEqual([]);
    expect(reader.ended).toBe(true);
  });

  it('ends every stream when the handler closes', async () => {
    const app = testApp();
    const thread = await app.createThread();
    const reader = eventReader(await follow(app, thread.id));
    await app.handler.close();
    expect(await reader.rest()).toEqual([]);
    expect(reader.ended).toBe(true);
  });

  it('ends a run whose answer could not be stored, so no stream waits for ever', async () => {
    const store = memoryStore();
    const app = testApp({ store, onError: () => {} });
    const thread = await app.createThread();
    const updateMessage = store.updateMessage;
    store.updateMessage = async (...args) => {
      if (args[3].status) throw new Error('disk full');
      return updateMessage(...args);
    };
    const { chunks } = await app.send(thread.id, { text: 'hi' });
    expect(chunks.at(-2)).toMatchObject({
      type: 'error',
      error: { message: 'The answer could not be stored.' },
    });
    expect(chunks.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed' });
  });

  it("answers 404 for another user's thread and 400 for an id it never sent", async () => {
    const app = testApp();
    const thread = await app.createThread();
    const other = await app.handler(
      app.request('GET', `/threads/${thread.id}/events`, { user: 'mallory' }),
    );
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
    expect((await app.call('GET', '/threads/nope/events')).status).toBe(404);
    for (const id of ['abc', '1.2.3', '-1', '1e5', '99999999999999999999']) {
      const bad = await app.call('GET', `/threads/${thread.id}/events`, {
        headers: { 'last-event-id': id },
      });
      expect(bad.status, id).toBe(400);
      expect(bad.json.error.code).toBe('invalid_request');
    }
  });
});

/** A model whose stream waits forever and ignores its abort signal. */
function stuckModel(after: string[] = []): ChatModel {
  return {
    models: () => [{ id: 'stuck', label: 'Stuck', provider: 'test', contextWindow: null }],
    async *stream(): AsyncGenerator<ModelEvent> {
      for (const delta of after) yield { type: 'text-delta', delta };
      await new Promise(() => {});
    },
  };
}

describe('time limits', () => {
  it('fails an answer whose model goes silent with timeout, keeping its text, and frees the thread', async () => {
    const app = testApp({ model: stuckModel(['Half ']), idleTimeoutMs: 80, flushIntervalMs: 20 });
    const thread = await app.createThread();
    const { answer, chunks } = await app.send(thread.id, { text: 'hi' });
    expect(answer).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(messageText(answer!)).toBe('Half ');
    expect(chunks.find((chunk) => chunk.type === 'error')).toMatchObject({
      error: { code: 'timeout' },
    });
    const next = await app.call('POST', `/threads/${thread.id}/messages`, {
      body: { text: 'again' },
      headers: { accept: 'application/json' },
    });
    expect(next.status).toBe(504);
  });

  it('fails an answer that runs past the maximum duration', async () => {
    const endless: ChatModel = {
      models: () => [{ id: 'endless', label: 'Endless', provider: 'test', contextWindow: null }],
      async *stream({ signal }) {
        while (!signal.aborted) {
          yield { type: 'text-delta', delta: 'more ' };
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      },
    };
    const app = testApp({ model: endless, maxDurationMs: 100 });
    const thread = await app.createThread();
    const { answer } = await app.send(thread.id, { text: 'hi' });
    expect(answer).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    expect(messageText(answer!).length).toBeGreaterThan(0);
  });

  it('stops, deletes and closes promptly although the model ignores its abort signal', async () => {
    const app = testApp({ model: stuckModel(['Stuck ']) });
    for (const action of ['stop', 'delete', 'close'] as const) {
      const thread = await app.createThread();
      const reader = eventReader(
        await app.handler(
          app.request('POST', `/threads/${thread.id}/messages`, { body: { text: 'hi' } }),
        ),
      );
      await reader.until(({ chunk }) => chunk.type === 'text-delta');
      const started = Date.now();
      if (action === 'stop') {
        const stop = await app.call('POST', `/threads/${thread.id}/stop`);
        expect(stop.json.stopped).toBe(true);
      } else if (action === 'delete') {
        expect((await app.call('DELETE', `/threads/${thread.id}`)).status).toBe(204);
      } else {
        await app.handler.close();
      }
      expect(Date.now() - started).toBeLessThan(2000);
      await reader.rest();
      if (action !== 'delete') {
        const page = await app.call('GET', `/threads/${thread.id}/messages`);
        expect(page.json.items[1]).toMatchObject({ status: 'cancelled' });
      }
    }
  });
});
