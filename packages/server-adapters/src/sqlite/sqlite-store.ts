import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Kysely, SqliteDialect } from 'kysely';
import type { ChatStore } from '../store/chat-store';
import { kyselyStore } from '../store/kysely-store';
import { migrateChatDatabase } from '../store/migrations';
import type { ChatDatabase } from '../store/schema';
import { nodeSqliteDatabase } from './node-sqlite-database';

export interface SqliteStoreOptions {
  /** A file path (its folder is created) or `:memory:`. Default `.confab/chat.db`. */
  filename?: string;
}

/**
 * Stores in this process open one after another. Two at once on one file would otherwise both
 * find the migrations pending, and a second `BEGIN IMMEDIATE` would block the thread (node:sqlite
 * waits synchronously for the lock) while the first needs the thread to finish.
 */
let opening: Promise<void> = Promise.resolve();

/**
 * The embedded store: SQLite through Node's built-in `node:sqlite` (Node 22.16+), no server and
 * no native build. Pending migrations are applied before the store is returned.
 */
export async function sqliteStore(options: SqliteStoreOptions = {}): Promise<ChatStore> {
  const filename = options.filename ?? '.confab/chat.db';
  if (filename !== ':memory:' && !filename.startsWith('file:')) {
    mkdirSync(dirname(filename), { recursive: true });
  }
  // Loaded at run time: bundlers that do not know `node:sqlite` yet would rewrite an import of it.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const database = new DatabaseSync(filename, { timeout: 5000 });
  database.exec(
    'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;',
  );
  const db = new Kysely<ChatDatabase>({
    dialect: new SqliteDialect({ database: nodeSqliteDatabase(database) }),
  });
  const migrated = opening.then(() => migrate(database, db));
  opening = migrated.catch(() => {});
  try {
    await migrated;
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return kyselyStore({ db, flavor: 'sqlite' });
}

/**
 * Applies pending migrations under SQLite's write lock, as one transaction: another process
 * opening the same file waits and then finds them applied, and a migration that fails half way
 * leaves nothing behind. Kysely's migrator takes no lock and no transaction for SQLite.
 */
async function migrate(database: DatabaseSync, db: Kysely<ChatDatabase>): Promise<void> {
  database.exec('BEGIN IMMEDIATE');
  try {
    await migrateChatDatabase(db as Kysely<unknown>, 'sqlite');
    database.exec('COMMIT');
  } catch (error) {
    try {
      database.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (some errors end the transaction themselves).
    }
    throw error;
  }
}
