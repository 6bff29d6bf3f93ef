import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * The embedded store: SQLite through Node's built-in `node:sqlite` (Node 22.13+), no server and
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
  await migrateChatDatabase(db as Kysely<unknown>, 'sqlite');
  return kyselyStore({ db, flavor: 'sqlite' });
}
