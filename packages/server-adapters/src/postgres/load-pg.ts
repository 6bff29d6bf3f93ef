import type { Pool, PoolConfig } from 'pg';
import { readEnvironment } from '../runtime/read-environment';

/**
 * The `pg` module, imported on first use: it is an optional peer dependency, needed only by the
 * PostgreSQL store and bus, so that the rest of `@confab/server` never loads it.
 */
export async function loadPg(): Promise<typeof import('pg')> {
  try {
    const module = (await import('pg')) as typeof import('pg') & { default?: typeof import('pg') };
    // pg is CommonJS: under ESM its exports arrive as `default`.
    return module.default ?? module;
  } catch (error) {
    throw new Error('PostgreSQL stores and buses need the `pg` package: npm install pg', {
      cause: error,
    });
  }
}

/**
 * The pool a PostgreSQL store or bus uses: the app's own (`pool`, left open on close), else a
 * new one on `connectionString` or `DATABASE_URL`. `what` names the caller in the error.
 */
export async function openPool(
  options: {
    pool?: Pool;
    connectionString?: string;
    poolConfig?: Omit<PoolConfig, 'connectionString'>;
  },
  what: string,
): Promise<{ pool: Pool; ownsPool: boolean }> {
  if (options.pool) return { pool: options.pool, ownsPool: false };
  const connectionString = options.connectionString ?? readEnvironment('DATABASE_URL');
  if (!connectionString) {
    throw new Error(
      `${what} needs a connection string: pass \`connectionString\` or set DATABASE_URL.`,
    );
  }
  const pg = await loadPg();
  return {
    pool: new pg.Pool({ max: 10, ...options.poolConfig, connectionString }),
    ownsPool: true,
  };
}
