import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStore } from '../store/chat-store';
import { kyselyStore } from '../store/kysely-store';
import { chatMigrationStatus, migrateChatDatabase } from '../store/migrations';
import type { ChatDatabase } from '../store/schema';
import { describeChatStore } from '../store/store-conformance';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { postgresStore } from './postgres-store';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('postgresStore on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  let shared: ChatStore;

  beforeAll(async () => {
    database = await createPostgresTestDatabase(serverUrl!, 'confab_store');
    shared = await postgresStore({ connectionString: database.url });
  });
  afterAll(async () => {
    await shared?.close();
    await database?.drop();
  });

  // One pool for the whole suite, as a server holds one; each test makes its own users.
  describeChatStore('postgresStore', async () => shared, { cleanup: async () => {} });

  describe('migrations', () => {
    it('applies each migration once, even when several instances start together', async () => {
      const fresh = await createPostgresTestDatabase(serverUrl!, 'confab_migrate');
      try {
        const stores = await Promise.all(
          Array.from({ length: 4 }, () => postgresStore({ connectionString: fresh.url })),
        );
        const pool = new pg.Pool({ connectionString: fresh.url, max: 1 });
        const db = new Kysely<ChatDatabase>({ dialect: new PostgresDialect({ pool }) });
        try {
          const status = await chatMigrationStatus(db, 'postgres');
          expect(status.length).toBeGreaterThan(0);
          expect(status.every((migration) => migration.appliedAt instanceof Date)).toBe(true);
          const { rows } = await pool.query('select count(*)::int as count from confab_migrations');
          expect(rows[0].count).toBe(status.length);
          expect(await migrateChatDatabase(db, 'postgres')).toEqual([]);

          // Every instance works on the same tables.
          const alice = { userId: 'alice' };
          const thread = await stores[0]!.createThread(alice, {
            id: 'shared-thread',
            title: 'One schema',
            model: null,
            metadata: {},
          });
          expect(await stores[3]!.getThread(alice, thread.id)).toEqual(thread);
        } finally {
          await db.destroy();
          await Promise.all(stores.map((store) => store.close()));
        }
      } finally {
        await fresh.drop();
      }
    });

    it('leaves a pool it was given open on close', async () => {
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      try {
        const store = await postgresStore({ pool });
        await store.close();
        const { rows } = await pool.query('select 1 as one');
        expect(rows[0].one).toBe(1);
      } finally {
        await pool.end();
      }
    });

    it('says what is missing without a connection string', async () => {
      const saved = process.env.DATABASE_URL;
      delete process.env.DATABASE_URL;
      try {
        await expect(postgresStore()).rejects.toThrow(/connectionString.*DATABASE_URL/);
      } finally {
        process.env.DATABASE_URL = saved;
      }
    });
  });

  describe('query plans at size', () => {
    // The store's own queries, captured as it runs them, are explained on a thread of 20,000
    // messages among 2,000 threads: paging must walk an index, never scan or sort the table.
    const owner = 'planner';
    const captured: { sql: string; parameters: readonly unknown[] }[] = [];
    let pool: pg.Pool;
    let store: ChatStore;

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: database.url, max: 2 });
      const db = new Kysely<ChatDatabase>({
        dialect: new PostgresDialect({
          pool: Object.assign(Object.create(pool), { end: async () => {} }),
        }),
        log: (event) => {
          if (event.level === 'query') {
            captured.push({ sql: event.query.sql, parameters: event.query.parameters });
          }
        },
      });
      store = kyselyStore({ db, flavor: 'postgres' });
      await pool.query(
        `insert into confab_threads
           (id, owner_id, title, model, metadata, archived, message_count, created_at, updated_at, last_activity_at)
         select 'plan-thread-' || n, $1, 'Thread ' || n, null, '{}', false,
                case when n = 1 then 20000 else 0 end,
                now() - n * interval '1 minute', now() - n * interval '1 minute', now() - n * interval '1 minute'
         from generate_series(1, 2000) as n`,
        [owner],
      );
      await pool.query(
        `insert into confab_messages
           (id, thread_id, parent_id, role, author_id, parts, status, model, usage, error, sequence, metadata, created_at, updated_at)
         select 'plan-message-' || n, 'plan-thread-1',
                case when n > 0 then 'plan-message-' || (n - 1) end,
                case when n % 2 = 0 then 'user' else 'assistant' end, null,
                jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Message ' || n)),
                'complete', null, null, null, n, '{}', now(), now()
         from generate_series(0, 19999) as n`,
      );
      await pool.query('analyze confab_threads; analyze confab_messages');
    });
    afterAll(async () => {
      await store?.close();
      await pool?.end();
    });

    async function plansOf(run: () => Promise<unknown>, table: string) {
      captured.length = 0;
      await run();
      const queries = captured.filter(
        (query) => query.sql.includes(`from "${table}"`) || query.sql.includes(`from ${table}`),
      );
      expect(queries.length).toBeGreaterThan(0);
      const plans: string[] = [];
      for (const query of queries) {
        const { rows } = await pool.query(`explain ${query.sql}`, query.parameters as unknown[]);
        plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
      }
      return plans.join('\n---\n');
    }

    it('pages a branch, from its leaf and deep, by index probes up the parents', async () => {
      const alice = { userId: owner };
      const newest = await store.listMessages(alice, 'plan-thread-1', { limit: 50 });
      expect(newest?.items.at(-1)?.sequence).toBe(19999);
      let cursor = newest!.nextCursor!;
      for (let page = 0; page < 100; page++) {
        cursor = (await store.listMessages(alice, 'plan-thread-1', { limit: 50, before: cursor }))!
          .nextCursor!;
      }
      const plan = await plansOf(
        () => store.listMessages(alice, 'plan-thread-1', { limit: 50, before: cursor }),
        'confab_messages',
      );
      expect(plan).toMatch(/Recursive Union/);
      expect(plan).toMatch(/Index (Only )?Scan using confab_messages_pkey/);
      expect(plan).not.toMatch(/Seq Scan on confab_messages/);
    });

    it('lists threads, first page and deep, through the owner/activity index', async () => {
      const alice = { userId: owner };
      const first = await store.listThreads(alice, { limit: 20 });
      expect(first.items[0]?.id).toBe('plan-thread-1');
      let cursor = first.nextCursor!;
      for (let page = 0; page < 50; page++) {
        cursor = (await store.listThreads(alice, { limit: 20, cursor })).nextCursor!;
      }
      const plan = await plansOf(
        () => store.listThreads(alice, { limit: 20, cursor }),
        'confab_threads',
      );
      expect(plan).toMatch(/Index (Only )?Scan/);
      expect(plan).not.toMatch(/Seq Scan on confab_threads/);
      expect(plan).not.toMatch(/Sort/);
    });
  });
});
