import { ConfabError } from '@confab/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatStore } from '../store/chat-store';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { testApp } from '../testing/test-app';
import { postgresStore } from './postgres-store';

const serverUrl = process.env.DATABASE_URL;

// Connections that drop (a restart, a failover, pg_terminate_backend) must not crash the
// process: vitest fails this file on any uncaught error, which is what an 'error' event of a
// pg client nobody listens to becomes.
describe.skipIf(!serverUrl)('postgresStore when its connections drop', () => {
  let database: PostgresTestDatabase;
  let store: ChatStore;
  let admin: pg.Client;
  const lost: Error[] = [];
  const alice = { userId: 'alice' };
  const message = (id: string) => ({
    id,
    parentId: null,
    role: 'user' as const,
    authorId: alice.userId,
    parts: [{ type: 'text' as const, text: id }],
    status: 'complete' as const,
    model: null,
    metadata: {},
  });

  beforeAll(async () => {
    database = await createPostgresTestDatabase(serverUrl!, 'confab_drop');
    store = await postgresStore({
      connectionString: database.url,
      onConnectionError: (error) => lost.push(error),
    });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await database?.drop();
  });

  /** Ends every connection to the test database but the admin's, and waits until they are gone. */
  async function terminateStoreConnections(): Promise<number> {
    const { rows } = await admin.query(
      `select pg_terminate_backend(pid, 5000) as ended from pg_stat_activity
       where datname = $1 and pid <> pg_backend_pid()`,
      [database.name],
    );
    return rows.filter((row) => row.ended).length;
  }

  it('works again after every connection of its pool was terminated', async () => {
    // Several calls at once leave several idle connections in the pool.
    await Promise.all(Array.from({ length: 5 }, () => store.listThreads(alice, { limit: 1 })));
    lost.length = 0;
    expect(await terminateStoreConnections()).toBeGreaterThan(1);
    // The pool hears of each idle connection's end; the listener keeps it from being thrown.
    await vi.waitFor(() => expect(lost.length).toBeGreaterThan(1));

    const thread = await store.createThread(alice, {
      id: `after-drop-${crypto.randomUUID()}`,
      title: 'Still here',
      model: null,
      metadata: {},
    });
    expect(await store.getThread(alice, thread.id)).toEqual(thread);
    await store.appendMessage(alice, thread.id, message(`m-${crypto.randomUUID()}`));
    expect((await store.listMessages(alice, thread.id, { limit: 10 }))!.items).toHaveLength(1);
  });

  it('fails a call in flight with unavailable, storing nothing, and the next call reconnects', async () => {
    const thread = await store.createThread(alice, {
      id: `in-flight-${crypto.randomUUID()}`,
      title: null,
      model: null,
      metadata: {},
    });
    // Holding the thread's row makes the append wait inside its transaction, on a connection
    // it has checked out, until that connection is terminated.
    await admin.query('begin');
    await admin.query('select id from confab_threads where id = $1 for update', [thread.id]);
    const append = store.appendMessage(alice, thread.id, message(`m-${crypto.randomUUID()}`));
    const failure = append.catch((error: unknown) => error);
    await vi.waitFor(async () => {
      const { rows } = await admin.query(
        `select count(*)::int as waiting from pg_stat_activity
         where datname = $1 and wait_event_type = 'Lock'`,
        [database.name],
      );
      expect(rows[0].waiting).toBe(1);
    });
    await terminateStoreConnections();
    await admin.query('rollback');

    const error = await failure;
    expect(ConfabError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'unavailable', status: 503 });

    const next = await store.appendMessage(alice, thread.id, message(`m-${crypto.randomUUID()}`));
    expect(next.sequence).toBe(0);
    expect((await store.listMessages(alice, thread.id, { limit: 10 }))!.items).toEqual([next]);
  });

  it('answers 503 unavailable as JSON when the database cannot be reached, and reports it', async () => {
    // Port 1 on loopback: nothing listens there, so every connection is refused.
    const unreachable = await postgresStore({
      connectionString: 'postgres://postgres@127.0.0.1:1/nowhere',
      migrate: false,
    });
    const reported: unknown[] = [];
    const app = testApp({ store: unreachable, onError: (error) => reported.push(error) });
    try {
      const result = await app.call('GET', '/threads');
      expect(result.status).toBe(503);
      expect(result.json.error).toEqual({
        code: 'unavailable',
        message: 'The database is unavailable. Try again in a moment.',
      });
      expect(reported).toHaveLength(1);
    } finally {
      await app.handler.close();
      await unreachable.close();
    }
  });
});
