import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatStore } from '../store/chat-store';
import { describeChatStore } from '../store/store-conformance';
import { supabaseStore } from './supabase-store';
import {
  createSupabaseTestDatabase,
  type SupabaseTestDatabase,
} from './testing/supabase-test-database';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('supabaseStore', () => {
  let database: SupabaseTestDatabase;
  let store: ChatStore;

  beforeAll(async () => {
    database = await createSupabaseTestDatabase(serverUrl!);
    store = await supabaseStore({ connectionString: database.url });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  // Every call runs as `authenticated` under row-level security, so the whole suite also shows
  // that the policies let a user do everything the store does with their own threads.
  describeChatStore('supabaseStore', async () => store, {
    cleanup: async () => {},
    user: () => database.createUser(),
  });

  const thread = (id: string) => ({ id, title: 'Mine', model: null, metadata: {} });

  it("refuses to run without the caller's claims, or with another user's", async () => {
    const ada = await database.createUser();
    const bob = await database.createUser();
    await expect(store.listThreads({ userId: ada.userId }, { limit: 10 })).rejects.toThrow(
      /JWT claims.*supabaseAuth/,
    );
    await expect(
      store.createThread({ userId: ada.userId, claims: bob.claims }, thread(crypto.randomUUID())),
    ).rejects.toThrow(/`sub`/);
    const stored = await database.pool.query(
      'select count(*)::int as count from confab_threads where owner_id in ($1, $2)',
      [ada.userId, bob.userId],
    );
    expect(stored.rows[0].count).toBe(0);
  });

  it('stores the thread under the caller in auth.users, and gives pooled connections back clean', async () => {
    const ada = await database.createUser();
    const id = `thread-${crypto.randomUUID()}`;
    await store.createThread(ada, thread(id));
    const row = await database.pool.query('select owner_id from confab_threads where id = $1', [
      id,
    ]);
    expect(row.rows).toEqual([{ owner_id: ada.userId }]);

    // The role and claims were local to the store's transaction: a connection of the same pool,
    // used outside the store, is the connecting user again, with no caller.
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const shared = await supabaseStore({ pool });
      await shared.getThread(ada, id);
      const after = await pool.query(
        "select current_user, coalesce(current_setting('request.jwt.claims', true), '') as claims",
      );
      expect(after.rows[0]).toEqual({ current_user: 'postgres', claims: '' });
      await shared.close();
      // A pool the app passed in stays open.
      expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('runs its queries as the authenticated role, so the database decides what they may do', async () => {
    const ada = await database.createUser();
    const id = `thread-${crypto.randomUUID()}`;
    await database.pool.query('revoke insert on confab_threads from authenticated');
    try {
      await expect(store.createThread(ada, thread(id))).rejects.toThrow(/permission denied/);
    } finally {
      await database.pool.query('grant insert on confab_threads to authenticated');
    }
    expect(await store.createThread(ada, thread(id))).toMatchObject({ id });
  });

  it("deletes a user's threads and messages with the user", async () => {
    const ada = await database.createUser();
    const id = `thread-${crypto.randomUUID()}`;
    await store.createThread(ada, thread(id));
    await store.appendMessage(ada, id, {
      id: `message-${crypto.randomUUID()}`,
      parentId: null,
      role: 'user',
      authorId: ada.userId,
      parts: [{ type: 'text', text: 'Hi' }],
      status: 'complete',
      model: null,
      metadata: {},
    });
    await database.pool.query('delete from auth.users where id = $1', [ada.userId]);
    const left = await database.pool.query(
      'select (select count(*) from confab_threads where id = $1)::int as threads, (select count(*) from confab_messages where thread_id = $1)::int as messages',
      [id],
    );
    expect(left.rows[0]).toEqual({ threads: 0, messages: 0 });
  });

  it('can apply the migration again without harm', async () => {
    const ada = await database.createUser();
    const id = `thread-${crypto.randomUUID()}`;
    await store.createThread(ada, thread(id));
    await database.migrate();
    expect(await store.getThread(ada, id)).toMatchObject({ id, ownerId: ada.userId });
    const policies = await database.pool.query(
      "select count(*)::int as count from pg_policies where tablename in ('confab_threads', 'confab_messages')",
    );
    expect(policies.rows[0].count).toBe(8);
  });

  it('reads its database from SUPABASE_DB_URL, then DATABASE_URL', async () => {
    const ada = await database.createUser();
    vi.stubEnv('SUPABASE_DB_URL', database.url);
    vi.stubEnv('DATABASE_URL', 'postgres://nobody@127.0.0.1:1/nowhere');
    try {
      const fromEnvironment = await supabaseStore();
      try {
        expect(await fromEnvironment.listThreads(ada, { limit: 1 })).toEqual({
          items: [],
          nextCursor: null,
        });
      } finally {
        await fromEnvironment.close();
      }
      vi.stubEnv('SUPABASE_DB_URL', '');
      vi.stubEnv('DATABASE_URL', '');
      await expect(supabaseStore()).rejects.toThrow(/SUPABASE_DB_URL/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
