import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresTestDatabase } from '../../testing/postgres-test-database';

const migrationsFolder = new URL('../../../supabase/migrations/', import.meta.url);
const bootstrap = readFileSync(new URL('./supabase-bootstrap.sql', import.meta.url), 'utf8');
/** Any fixed number: the key of the lock that makes parallel bootstraps take turns. */
const bootstrapLock = 4_242_001;

export interface SupabaseTestUser {
  userId: string;
  /** The claims of the user's access token, as Supabase Auth issues them. */
  claims: Record<string, unknown>;
}

export interface SupabaseTestDatabase {
  /** The connection string of the new database (as its superuser). */
  url: string;
  /** Connections to it as the superuser, which bypasses row-level security: for checking. */
  pool: pg.Pool;
  /** Signs a new user up: a row in auth.users, and the claims of their access token. */
  createUser(): Promise<SupabaseTestUser>;
  /**
   * Runs `work` in a transaction as `role`, with `claims` as the request's JWT claims (none when
   * null), as the Data API would; rolled back at the end.
   */
  asRole<T>(
    role: 'anon' | 'authenticated',
    claims: Record<string, unknown> | null,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T>;
  /** Applies the package's Supabase migrations, in order. */
  migrate(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A fresh database dressed as a Supabase project (supabase-bootstrap.sql) with Confab's Supabase
 * migrations applied, on the server of `serverUrl` (the tests' DATABASE_URL).
 */
export async function createSupabaseTestDatabase(
  serverUrl: string,
  issuer = 'http://127.0.0.1:54321/auth/v1',
): Promise<SupabaseTestDatabase> {
  const database = await createPostgresTestDatabase(serverUrl, 'confab_supabase');
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    // Roles are shared by the whole server; advisory locks belong to one database, so the turn is
    // taken in the server's shared database, which every test file connects to.
    const server = new pg.Client({ connectionString: serverUrl });
    await server.connect();
    try {
      await server.query('select pg_advisory_lock($1)', [bootstrapLock]);
      await pool.query(bootstrap);
    } finally {
      await server.query('select pg_advisory_unlock($1)', [bootstrapLock]).catch(() => {});
      await server.end();
    }
  } catch (error) {
    await pool.end();
    await database.drop();
    throw error;
  }

  async function migrate() {
    const files = readdirSync(migrationsFolder)
      .filter((file) => file.endsWith('.sql'))
      .sort();
    for (const file of files)
      await pool.query(readFileSync(new URL(file, migrationsFolder), 'utf8'));
  }

  try {
    await migrate();
  } catch (error) {
    await pool.end();
    await database.drop();
    throw error;
  }

  return {
    url: database.url,
    pool,
    migrate,
    async createUser() {
      const userId = globalThis.crypto.randomUUID();
      const email = `${userId}@example.test`;
      await pool.query(
        `insert into auth.users (id, aud, role, email) values ($1, 'authenticated', 'authenticated', $2)`,
        [userId, email],
      );
      const now = Math.floor(Date.now() / 1000);
      return {
        userId,
        claims: {
          iss: issuer,
          sub: userId,
          aud: 'authenticated',
          exp: now + 3600,
          iat: now,
          email,
          phone: '',
          app_metadata: { provider: 'email', providers: ['email'] },
          user_metadata: {},
          role: 'authenticated',
          aal: 'aal1',
          amr: [{ method: 'password', timestamp: now }],
          session_id: globalThis.crypto.randomUUID(),
          is_anonymous: false,
        },
      };
    },
    async asRole(role, claims, work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
          [role, claims ? JSON.stringify(claims) : ''],
        );
        return await work(client);
      } finally {
        await client.query('rollback').catch(() => {});
        client.release();
      }
    },
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}
