import type { Part } from '@confab/core';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSqliteDatabase } from '../sqlite/node-sqlite-database';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { kyselyStore } from './kysely-store';
import { migrateChatDatabase } from './migrations';
import type { ChatDatabase, SqlFlavor } from './schema';

const serverUrl = process.env.DATABASE_URL;

/** A Kysely over a fresh database of `flavor`, with every statement it runs logged. */
type Opened = { db: Kysely<ChatDatabase>; statements: LogEvent[]; close: () => Promise<void> };

async function openSqlite(): Promise<Opened> {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const statements: LogEvent[] = [];
  const db = new Kysely<ChatDatabase>({
    dialect: new SqliteDialect({ database: nodeSqliteDatabase(new DatabaseSync(':memory:')) }),
    log: (event) => void statements.push(event),
  });
  await migrateChatDatabase(db, 'sqlite');
  return { db, statements, close: () => db.destroy() };
}

let postgres: PostgresTestDatabase | undefined;
afterAll(async () => {
  await postgres?.drop();
});

async function openPostgres(): Promise<Opened> {
  postgres ??= await createPostgresTestDatabase(serverUrl!, 'confab_progress');
  const statements: LogEvent[] = [];
  const db = new Kysely<ChatDatabase>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: postgres.url, max: 4 }) }),
    log: (event) => void statements.push(event),
  });
  await migrateChatDatabase(db, 'postgres');
  return { db, statements, close: () => db.destroy() };
}

const flavors: { flavor: SqlFlavor; open: () => Promise<Opened>; skip: boolean }[] = [
  { flavor: 'sqlite', open: openSqlite, skip: false },
  { flavor: 'postgres', open: openPostgres, skip: !serverUrl },
];

describe.each(flavors)('progress writes on $flavor', ({ flavor, open, skip }) => {
  it.skipIf(skip)(
    "writes a hundred answers' progress in one batch, with what each would get alone",
    async () => {
      const { db, statements, close } = await open();
      try {
        const store = kyselyStore({ db, flavor, ownsDatabase: false });
        const now = Date.now();
        const answers = await Promise.all(
          Array.from({ length: 100 }, async (_, index) => {
            const scope = { userId: `user-${index % 7}` };
            const thread = await store.createThread(scope, {
              id: `thread-${index}`,
              title: null,
              model: null,
              metadata: {},
            });
            const answer = await store.appendMessage(scope, thread.id, {
              id: `answer-${index}`,
              parentId: null,
              role: 'assistant',
              authorId: null,
              parts: [],
              status: 'streaming',
              model: 'demo',
              metadata: {},
            });
            await store.acquireRun(
              scope,
              thread.id,
              { messageId: answer.id, expiresAt: now + 1000 },
              now,
            );
            return { scope, thread, answer, index };
          }),
        );
        const parts = (index: number): Part[] => [{ type: 'text', text: `So far ${index} café` }];
        statements.length = 0;
        const leases = await Promise.all(
          answers.map(({ scope, thread, answer, index }) =>
            store.saveRunProgress!(
              index % 10 === 9 ? { userId: 'mallory' } : scope,
              thread.id,
              answer.id,
              {
                parts: parts(index),
                leaseExpiresAt: now + 5000 + index,
              },
            ),
          ),
        );
        const errors = statements.filter((event) => event.level === 'error');
        expect(errors.map((event) => String(event.error))).toEqual([]);
        // One statement on PostgreSQL, two on SQLite: the batch, not a statement per answer.
        const writes = statements.filter((event) => /^\s*(with|update)/i.test(event.query.sql));
        expect(writes).toHaveLength(flavor === 'postgres' ? 1 : 2);

        for (const { scope, thread, answer, index } of answers) {
          const hijacked = index % 10 === 9;
          expect(leases[index]).toEqual(
            hijacked
              ? null
              : { messageId: answer.id, expiresAt: now + 5000 + index, stopRequested: false },
          );
          const stored = await store.getMessage(scope, thread.id, answer.id);
          expect(stored!.parts).toEqual(hijacked ? [] : parts(index));
        }
      } finally {
        await close();
      }
    },
  );
});
