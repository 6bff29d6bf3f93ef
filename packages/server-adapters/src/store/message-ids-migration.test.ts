import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../postgres/postgres-store';
import { nodeSqliteDatabase } from '../sqlite/node-sqlite-database';
import { sqliteStore } from '../sqlite/sqlite-store';
import { createPostgresTestDatabase } from '../testing/postgres-test-database';
import type { ChatStore } from './chat-store';
import { chatMigrations } from './migrations';
import type { SqlFlavor } from './schema';

type AnyKysely = Kysely<any>;

const alice = { userId: 'alice' };
const bob = { userId: 'bob' };

/** A database as 0.1.0 left it: only the first migration applied, with a thread and a message. */
async function releasedDatabase(db: AnyKysely, flavor: SqlFlavor): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => chatMigrations(flavor) },
    migrationTableName: 'confab_migrations',
    migrationLockTableName: 'confab_migrations_lock',
  });
  const { error } = await migrator.migrateTo('0001_threads_and_messages');
  if (error) throw error;
  const time = new Date().toISOString();
  const bool = flavor === 'sqlite' ? 0 : false;
  await db
    .insertInto('confab_threads')
    .values({
      id: 'old-thread',
      owner_id: alice.userId,
      title: 'From 0.1.0',
      model: null,
      metadata: '{}',
      archived: bool,
      message_count: 1,
      created_at: time,
      updated_at: time,
      last_activity_at: time,
    })
    .execute();
  await db
    .insertInto('confab_messages')
    .values({
      id: 'old-message',
      thread_id: 'old-thread',
      parent_id: null,
      role: 'user',
      author_id: alice.userId,
      parts: JSON.stringify([{ type: 'text', text: 'kept' }]),
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      sequence: 0,
      metadata: '{}',
      created_at: time,
      updated_at: time,
    })
    .execute();
}

/** After the upgrade: the old message is there, and its id is free in another user's thread. */
async function expectUpgraded(store: ChatStore) {
  const old = await store.getMessage(alice, 'old-thread', 'old-message');
  expect(old).toMatchObject({ sequence: 0, parts: [{ type: 'text', text: 'kept' }] });
  expect((await store.appendMessage(alice, 'old-thread', newMessage('next'))).sequence).toBe(1);
  await store.createThread(bob, { id: 'bob-thread', title: null, model: null, metadata: {} });
  const reused = await store.appendMessage(bob, 'bob-thread', newMessage('old-message'));
  expect(reused).toMatchObject({ threadId: 'bob-thread', sequence: 0 });
  await expect(
    store.appendMessage(alice, 'old-thread', newMessage('old-message')),
  ).rejects.toMatchObject({ code: 'conflict' });
  expect(await store.getMessage(alice, 'old-thread', 'old-message')).toEqual(old);
}

function newMessage(id: string) {
  return {
    id,
    parentId: null,
    role: 'user' as const,
    authorId: null,
    parts: [{ type: 'text' as const, text: id }],
    status: 'complete' as const,
    model: null,
    metadata: {},
  };
}

describe('migration 0002: message ids per thread', () => {
  const folder = mkdtempSync(join(tmpdir(), 'confab-migration-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('upgrades a SQLite database of 0.1.0, keeping its messages', async () => {
    const filename = join(folder, 'chat.db');
    const database = new DatabaseSync(filename);
    const db = new Kysely({
      dialect: new SqliteDialect({ database: nodeSqliteDatabase(database) }),
    });
    await releasedDatabase(db, 'sqlite');
    await db.destroy();

    const store = await sqliteStore({ filename });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
  });

  const serverUrl = process.env.DATABASE_URL;
  it.skipIf(!serverUrl)(
    'upgrades a PostgreSQL database of 0.1.0, keeping its messages',
    async () => {
      const fresh = await createPostgresTestDatabase(serverUrl!, 'confab_upgrade');
      try {
        const pool = new pg.Pool({ connectionString: fresh.url, max: 1 });
        const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
        await releasedDatabase(db, 'postgres');
        await db.destroy();

        const store = await postgresStore({ connectionString: fresh.url });
        try {
          await expectUpgraded(store);
        } finally {
          await store.close();
        }
      } finally {
        await fresh.drop();
      }
    },
  );
});
