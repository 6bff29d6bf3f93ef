import { Kysely, PostgresDialect } from 'kysely';
import type { Pool, PoolConfig } from 'pg';
import { readEnvironment } from '../runtime/read-environment';
import type { ChatDatabase } from '../store/schema';
import { loadPg } from './load-pg';

export interface PostgresConnectionOptions {
  /** `postgres://user:password@host:5432/database`. Default: the `DATABASE_URL` environment variable. */
  connectionString?: string;
  /** A `pg` pool the app already has. The store then leaves it open on `close()`. */
  pool?: Pool;
  /** Pool settings for the pool the store creates (`max`, `ssl`, timeouts...). */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
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
  let pool = options.pool;
  const ownsPool = pool === undefined;
  if (!pool) {
    const connectionString = options.connectionString ?? readEnvironment('DATABASE_URL');
    if (!connectionString) {
      throw new Error(
        'A PostgreSQL store needs a connection string: pass `connectionString` or set DATABASE_URL.',
      );
    }
    const pg = await loadPg();
    pool = new pg.Pool({ max: 10, ...options.poolConfig, connectionString });
  }
  // Kysely ends the pool it was given on destroy(): hand it a pool that leaves a shared one open.
  const dialectPool = ownsPool ? pool : Object.assign(Object.create(pool), { end: async () => {} });
  const db = new Kysely<ChatDatabase>({ dialect: new PostgresDialect({ pool: dialectPool }) });
  return { db, close: () => db.destroy() };
}
