import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

interface OpenDatabase {
  db: Kysely<ChatDatabase>;
  ready: Promise<void>;
  users: number;
}

/**
 * One connection per file in this process, shared by every store opened on it. Two connections
 * in one process would deadlock: node:sqlite waits for the write lock synchronously, blocking the
 * thread the other connection needs to commit. Kept on globalThis so that a module reloaded by a
 * dev server finds the connection its previous copy opened.
 */
const holder = globalThis as Record<symbol, Map<string, OpenDatabase> | undefined>;
const openKey = Symbol.for('confab.sqlite.open');
holder[openKey] ??= new Map();
const open = holder[openKey];

/**
 * The embedded store: SQLite through Node's built-in `node:sqlite` (Node 22.16+), no server and
 * no native build. Pending migrations are applied before the store is returned.
 */
export async function sqliteStore(options: SqliteStoreOptions = {}): Promise<ChatStore> {
  const filename = options.filename ?? '.confab/chat.db';
  const shared =
    filename === ':memory:' || filename.startsWith('file:')
      ? null
      : // Not a file of the bundle: without this Turbopack (Next.js) traces the whole project.
        resolve(/*turbopackIgnore: true*/ filename);
  let entry = shared ? open.get(shared) : undefined;
  if (!entry) {
    entry = openDatabase(shared ?? filename);
    if (shared) open.set(shared, entry);
  }
  entry.users++;
  const current = entry;
  const release = async () => {
    if (--current.users > 0) return;
    if (shared && open.get(shared) === current) open.delete(shared);
    await current.db.destroy();
  };
  try {
    await current.ready;
  } catch (error) {
    await release();
    throw error;
  }
  const store = kyselyStore({ db: current.db, flavor: 'sqlite', ownsDatabase: false });
  let closed = false;
  return {
    ...store,
    async close() {
      if (closed) return;
      closed = true;
      await release();
    },
  };
}

function openDatabase(filename: string): OpenDatabase {
  if (filename !== ':memory:' && !filename.startsWith('file:')) {
    mkdirSync(dirname(filename), { recursive: true });
  }
  const { DatabaseSync } = loadNodeSqlite();
  const database = new DatabaseSync(filename, { timeout: 5000 });
  database.exec(
    'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;',
  );
  const db = new Kysely<ChatDatabase>({
    dialect: new SqliteDialect({ database: nodeSqliteDatabase(database) }),
  });
  return { db, ready: migrate(database, db), users: 0 };
}

/**
 * Node's built-in SQLite, or an error that says what to do: Node 20 has none, Node 22 before
 * 22.13 only behind `--experimental-sqlite`, and without this the store fails with a bare
 * `Cannot destructure property 'DatabaseSync'`.
 */
export function loadNodeSqlite(
  load: (id: string) => unknown = (id) => process.getBuiltinModule?.(id),
  version = process.versions.node,
): typeof import('node:sqlite') {
  let sqlite: typeof import('node:sqlite') | undefined;
  try {
    // Loaded at run time: bundlers that do not know `node:sqlite` yet would rewrite an import.
    sqlite = load('node:sqlite') as typeof import('node:sqlite') | undefined;
  } catch {
    // Node 22.5 to 22.12 without the flag: no such built-in module.
  }
  if (sqlite?.DatabaseSync) return sqlite;
  throw new Error(
    `sqliteStore() needs Node.js 22.16 or newer, for its built-in SQLite (node:sqlite); this is Node.js ${version}. ` +
      'Upgrade Node.js, or use memoryStore() or postgresStore() on this version.',
  );
}

/**
 * Applies pending migrations under SQLite's write lock, as one transaction: another process
 * opening the same file waits and then finds them applied, and a migration that fails half way
 * leaves nothing behind. Kysely's migrator takes no lock and no transaction for SQLite.
 */
async function migrate(database: DatabaseSync, db: Kysely<ChatDatabase>): Promise<void> {
  database.exec('BEGIN IMMEDIATE');
  try {
    await migrateChatDatabase(db, 'sqlite');
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
