// The demo run twice on one PostgreSQL database, as two real processes on two ports: what one
// instance starts, the other streams, refuses, stops and, when the first dies, settles.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { messageText, type ParsedChunk, parseChunkStream } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../../../packages/server-adapters/src/testing/postgres-test-database.ts';
import { startDemo } from './start-demo.ts';

const root = join(import.meta.dirname, '..');
const built = existsSync(join(root, '../../packages/server-adapters/dist/postgres.js'));
const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const buses = [
  { name: 'events on LISTEN/NOTIFY', redis: '' },
  ...(redisUrl ? [{ name: 'events on Redis', redis: redisUrl }] : []),
];

for (const bus of buses) {
  describe.skipIf(!built || !databaseUrl)(`two demo processes on PostgreSQL, ${bus.name}`, () => {
    let database: PostgresTestDatabase;
    const children: ChildProcess[] = [];
    let a: string;
    let b: string;

    async function start() {
      const started = await startDemo({
        DATABASE_URL: database.url,
        REDIS_URL: bus.redis,
        CONFAB_LEASE_MS: '1500',
        CONFAB_DEMO_TOKEN_DELAY_MS: '15',
      });
      children.push(started.child);
      return { api: `${started.origin}/api/chat`, child: started.child };
    }

    beforeAll(async () => {
      database = await createPostgresTestDatabase(databaseUrl!, 'confab_demo_pair');
      // One after the other: the first applies the migrations.
      a = (await start()).api;
      b = (await start()).api;
    }, 60_000);

    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(
        children.map((child) =>
          child.exitCode === null && child.signalCode === null
            ? new Promise((resolve) => child.once('exit', resolve))
            : null,
        ),
      );
      await database?.drop();
    });

    const user = `pair-${crypto.randomUUID()}`;
    const headers = { 'content-type': 'application/json', 'x-confab-user': user };

    async function newThread(api: string): Promise<string> {
      const response = await fetch(`${api}/threads`, { method: 'POST', headers, body: '{}' });
      return (await response.json()).id;
    }

    async function stream(response: Response) {
      const reader = parseChunkStream(response.body!).getReader();
      const events: ParsedChunk[] = [];
      return {
        events,
        async until(matches: (event: ParsedChunk) => boolean) {
          while (true) {
            const { done, value } = await reader.read();
            if (done) throw new Error('The stream ended first.');
            events.push(value);
            if (matches(value)) return value;
          }
        },
        cancel: () => reader.cancel().catch(() => {}),
      };
    }

    const send = (api: string, threadId: string, text: string) =>
      fetch(`${api}/threads/${threadId}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text }),
      });

    it('streams an answer started on one into a follower on the other, and refuses a second send there', async () => {
      const threadId = await newThread(a);
      const follower = await stream(
        await fetch(`${b}/threads/${threadId}/events`, { headers: { 'x-confab-user': user } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sender = await stream(await send(a, threadId, 'Hello from instance A'));
      await sender.until(({ chunk }) => chunk.type === 'text-delta');
      const refused = await send(b, threadId, 'And one from B');
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.code).toBe('generation_in_progress');

      const finished = (events: ParsedChunk[]) =>
        events.find(
          ({ chunk }) =>
            chunk.type === 'message-updated' &&
            chunk.message.role === 'assistant' &&
            chunk.message.status === 'complete',
        );
      await sender.until(({ chunk }) => chunk.type === 'run-finished');
      await follower.until(({ chunk }) => chunk.type === 'run-finished');
      const stored = finished(sender.events)!.chunk;
      const followed = finished(follower.events)!.chunk;
      expect(followed).toEqual(stored);
      // B had the answer live, not only at the end: deltas (or the answer so far) came before it.
      const live = follower.events.filter(({ chunk }) => chunk.type === 'text-delta');
      expect(live.length).toBeGreaterThan(5);
      await follower.cancel();
    });

    it('stops from one instance an answer generated on the other', async () => {
      const threadId = await newThread(a);
      const sender = await stream(await send(a, threadId, 'Write a long essay'));
      await sender.until(({ chunk }) => chunk.type === 'text-delta');
      const stop = await fetch(`${b}/threads/${threadId}/stop`, { method: 'POST', headers });
      expect(await stop.json()).toMatchObject({ stopped: true });
      const end = await sender.until(({ chunk }) => chunk.type === 'run-finished');
      expect(end.chunk).toMatchObject({ status: 'cancelled' });
    });

    it('marks an answer interrupted when its instance is killed mid-answer, and Retry answers it', async () => {
      const doomed = await start();
      const threadId = await newThread(doomed.api);
      const sender = await stream(await send(doomed.api, threadId, 'Write a long essay'));
      for (let deltas = 0; deltas < 20; ) {
        if ((await sender.until(() => true)).chunk.type === 'text-delta') deltas++;
      }
      // Let a periodic write of the partial answer happen, then kill the instance.
      await new Promise((resolve) => setTimeout(resolve, 800));
      doomed.child.kill('SIGKILL');
      await sender.cancel();
      // Until its lease expires the thread is still taken; then the survivor settles it.
      const messages = `${b}/threads/${threadId}/messages`;
      let page = await (await fetch(messages, { headers })).json();
      for (let tries = 0; page.items[1]?.status === 'streaming' && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        page = await (await fetch(messages, { headers })).json();
      }
      const [, answer] = page.items;
      expect(answer).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
      expect(messageText(answer).length).toBeGreaterThan(0);
      const retried = await fetch(`${b}/threads/${threadId}/messages/${answer.id}/regenerate`, {
        method: 'POST',
        headers: { ...headers, accept: 'application/json' },
      });
      expect(retried.status).toBe(200);
      expect((await retried.json()).message).toMatchObject({ status: 'complete' });
    }, 30_000);
  });
}
