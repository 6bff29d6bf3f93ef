import { Kysely, PostgresDialect } from 'kysely';
import type { Pool, PoolConfig } from 'pg';
import type { ChatDatabase } from '../store/schema';
import { type ConnectionErrorListener, guardConnections } from './guard-connections';
import { openPool } from './load-pg';

export interface PostgresConnectionOptions {
  /** `postgres://user:password@host:5432/database`. Default: the `DATABASE_URL` environment variable. */
  connectionString?: string;
  /**
   * A `pg` pool the app already has. The store then leaves it open on `close()`. Listen for its
   * 'error' event, as `pg` asks: an idle client whose connection drops emits it on the pool.
   */
  pool?: Pool;
  /** Pool settings for the pool the store creates (`max`, `ssl`, timeouts...). */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
  /**
   * Called when a connection drops outside a query (a server restart, a failover). The pool
   * reconnects on the next call, and a call in flight fails with `unavailable` (503).
   * Default: a `console.warn`.
   */
  onConnectionError?: ConnectionErrorListener;
}

export interface PostgresDatabase {
  db: Kysely<ChatDatabase>;
  /** Ends the pool when the store created it. */
  close(): Promise<void>;
}

/**
 * Kysely over a `pg` pool. `pg` is an optional peer dependency, loaded only when a PostgreSQL
 * store is opened, so that the rest of `@confab/server` never needs it.
 */
export async function postgresDatabase(
  options: PostgresConnectionOptions,
): Promise<PostgresDatabase> {
  const { pool, ownsPool } = await openPool(options, 'A PostgreSQL store');
  // Kysely ends the pool it was given on destroy(): the guarded pool leaves a shared one open.
  const dialectPool = guardConnections(
    pool,
    ownsPool,
    options.onConnectionError ??
      ((error) => console.warn('[confab] A PostgreSQL connection was lost:', error.message)),
  );
  const db = new Kysely<ChatDatabase>({ dialect: new PostgresDialect({ pool: dialectPool }) });
  return { db, close: () => db.destroy() };
}
