import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { SqlFlavor } from './schema';

function types(flavor: SqlFlavor) {
  return flavor === 'postgres'
    ? { json: sql`jsonb`, timestamp: sql`timestamptz`, boolean: sql`boolean` }
    : { json: sql`text`, timestamp: sql`text`, boolean: sql`integer` };
}

/** Versioned, append-only. A released migration is never edited; a change is a new entry. */
export function chatMigrations(flavor: SqlFlavor): Record<string, Migration> {
  const type = types(flavor);
  return {
    '0001_threads_and_messages': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('confab_threads')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('owner_id', 'text', (column) => column.notNull())
          .addColumn('title', 'text')
          .addColumn('model', 'text')
          .addColumn('metadata', type.json, (column) => column.notNull())
          .addColumn('archived', type.boolean, (column) => column.notNull())
          .addColumn('message_count', 'integer', (column) => column.notNull().defaultTo(0))
          .addColumn('created_at', type.timestamp, (column) => column.notNull())
          .addColumn('updated_at', type.timestamp, (column) => column.notNull())
          .addColumn('last_activity_at', type.timestamp, (column) => column.notNull())
          .execute();
        await db.schema
          .createIndex('confab_threads_owner_activity')
          .on('confab_threads')
          .columns(['owner_id', 'archived', 'last_activity_at desc', 'id desc'])
          .execute();
        await db.schema
          .createTable('confab_messages')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('thread_id', 'text', (column) =>
            column.notNull().references('confab_threads.id').onDelete('cascade'),
          )
          .addColumn('parent_id', 'text')
          .addColumn('role', 'text', (column) => column.notNull())
          .addColumn('author_id', 'text')
          .addColumn('parts', type.json, (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('model', 'text')
          .addColumn('usage', type.json)
          .addColumn('error', type.json)
          .addColumn('sequence', 'integer', (column) => column.notNull())
          .addColumn('metadata', type.json, (column) => column.notNull())
          .addColumn('created_at', type.timestamp, (column) => column.notNull())
          .addColumn('updated_at', type.timestamp, (column) => column.notNull())
          .addUniqueConstraint('confab_messages_thread_sequence', ['thread_id', 'sequence'])
          .execute();
        await db.schema
          .createIndex('confab_messages_thread_parent')
          .on('confab_messages')
          .columns(['thread_id', 'parent_id'])
          .execute();
      },
    },
    '0002_message_ids_per_thread': messageIdsPerThread(flavor),
    '0003_event_log_and_run_lease': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('confab_threads')
          .addColumn('event_seq', 'integer', (column) => column.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('confab_threads').addColumn('run_message_id', 'text').execute();
        await db.schema
          .alterTable('confab_threads')
          .addColumn('run_expires_at', 'bigint')
          .execute();
        await db.schema
          .alterTable('confab_threads')
          .addColumn('run_stop_requested', type.boolean, (column) =>
            column.notNull().defaultTo(flavor === 'postgres' ? sql`false` : sql`0`),
          )
          .execute();
        await db.schema
          .createTable('confab_thread_events')
          .addColumn('thread_id', 'text', (column) =>
            column.notNull().references('confab_threads.id').onDelete('cascade'),
          )
          .addColumn('seq', 'integer', (column) => column.notNull())
          .addColumn('chunk', type.json, (column) => column.notNull())
          .addColumn('created_at', type.timestamp, (column) => column.notNull())
          .addPrimaryKeyConstraint('confab_thread_events_pkey', ['thread_id', 'seq'])
          .execute();
      },
    },
    '0004_current_leaves': {
      async up(db: Kysely<unknown>) {
        // Each caller's current leaf of a thread: the branch they see. Keyed by user, not on the
        // thread's row, so that every member of a shared thread keeps their own.
        await db.schema
          .createTable('confab_thread_leaves')
          .addColumn('thread_id', 'text', (column) =>
            column.notNull().references('confab_threads.id').onDelete('cascade'),
          )
          .addColumn('user_id', 'text', (column) => column.notNull())
          .addColumn('message_id', 'text', (column) => column.notNull())
          .addColumn('updated_at', type.timestamp, (column) => column.notNull())
          .addPrimaryKeyConstraint('confab_thread_leaves_pkey', ['thread_id', 'user_id'])
          .execute();
      },
    },
  };
}

/**
 * Message ids become unique per thread, not across the database: a client-chosen id that another
 * user already used in their own thread is no longer refused (which told the caller that the id
 * exists somewhere). The primary key becomes (thread_id, id).
 */
function messageIdsPerThread(flavor: SqlFlavor): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (flavor === 'postgres') {
        await sql`alter table confab_messages drop constraint confab_messages_pkey`.execute(db);
        await sql`alter table confab_messages add constraint confab_messages_pkey primary key (thread_id, id)`.execute(
          db,
        );
        return;
      }
      // SQLite cannot change a primary key: the table is rebuilt with the same columns, in the
      // same order, and its rows copied over (inside the migration's transaction).
      const type = types(flavor);
      await db.schema
        .createTable('confab_messages_0002')
        .addColumn('id', 'text', (column) => column.notNull())
        .addColumn('thread_id', 'text', (column) =>
          column.notNull().references('confab_threads.id').onDelete('cascade'),
        )
        .addColumn('parent_id', 'text')
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('author_id', 'text')
        .addColumn('parts', type.json, (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('model', 'text')
        .addColumn('usage', type.json)
        .addColumn('error', type.json)
        .addColumn('sequence', 'integer', (column) => column.notNull())
        .addColumn('metadata', type.json, (column) => column.notNull())
        .addColumn('created_at', type.timestamp, (column) => column.notNull())
        .addColumn('updated_at', type.timestamp, (column) => column.notNull())
        .addPrimaryKeyConstraint('confab_messages_pkey', ['thread_id', 'id'])
        .addUniqueConstraint('confab_messages_thread_sequence', ['thread_id', 'sequence'])
        .execute();
      await sql`insert into confab_messages_0002 select * from confab_messages`.execute(db);
      await db.schema.dropTable('confab_messages').execute();
      await db.schema.alterTable('confab_messages_0002').renameTo('confab_messages').execute();
      await db.schema
        .createIndex('confab_messages_thread_parent')
        .on('confab_messages')
        .columns(['thread_id', 'parent_id'])
        .execute();
    },
  };
}

// Any Kysely instance: the migrations create the tables, so they cannot rely on their types.
// biome-ignore lint/suspicious/noExplicitAny: a database of any shape is accepted.
type AnyKysely = Kysely<any>;

function chatMigrator(db: AnyKysely, flavor: SqlFlavor): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => chatMigrations(flavor) };
  return new Migrator({
    db,
    provider,
    migrationTableName: 'confab_migrations',
    migrationLockTableName: 'confab_migrations_lock',
  });
}

/**
 * Applies every pending migration and returns the names it applied. Safe to call on each start:
 * on PostgreSQL, instances starting together wait on Kysely's migration lock and each migration
 * runs once, in a transaction.
 */
export async function migrateChatDatabase(db: AnyKysely, flavor: SqlFlavor): Promise<string[]> {
  const { error, results = [] } = await chatMigrator(db, flavor).migrateToLatest();
  if (error) throw error;
  return results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

export interface ChatMigrationState {
  name: string;
  /** When it was applied, or null while it is pending. */
  appliedAt: Date | null;
}

/** Every known migration, in order, with when it was applied. */
export async function chatMigrationStatus(
  db: AnyKysely,
  flavor: SqlFlavor,
): Promise<ChatMigrationState[]> {
  const migrations = await chatMigrator(db, flavor).getMigrations();
  return migrations.map((migration) => ({
    name: migration.name,
    appliedAt: migration.executedAt ?? null,
  }));
}
