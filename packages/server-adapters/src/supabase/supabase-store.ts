import { sql } from 'kysely';
import { type PostgresConnectionOptions, postgresDatabase } from '../postgres/postgres-database';
import { readEnvironment } from '../runtime/read-environment';
import type { ChatScope, ChatStore } from '../store/chat-store';
import { type ChatSession, kyselyStore } from '../store/kysely-store';

export interface SupabaseStoreOptions extends PostgresConnectionOptions {
  /**
   * The database's connection string. Default: `SUPABASE_DB_URL` (set in Edge Functions), then
   * `DATABASE_URL`.
   */
  connectionString?: string;
}

/**
 * The ChatStore on a Supabase database, with row-level security doing the guarding. Every store
 * call runs in one transaction as the `authenticated` role with the caller's verified JWT claims
 * in `request.jwt.claims`, as PostgREST runs the Data API's queries: `auth.uid()` is the caller,
 * and the policies of the Confab migration (`supabase/migrations` in this package) decide what
 * they may read and change, whatever the queries say.
 *
 * The tables come from that migration (`supabase db push`), never from this store. Callers need
 * claims: use `supabaseAuth()`.
 */
export async function supabaseStore(options: SupabaseStoreOptions = {}): Promise<ChatStore> {
  const connectionString =
    options.pool === undefined
      ? (options.connectionString ??
        readEnvironment('SUPABASE_DB_URL') ??
        readEnvironment('DATABASE_URL'))
      : undefined;
  if (options.pool === undefined && !connectionString) {
    throw new Error(
      'supabaseStore() needs the database: pass `connectionString` or `pool`, or set SUPABASE_DB_URL (Edge Functions have it) or DATABASE_URL.',
    );
  }
  const { db, close } = await postgresDatabase({ ...options, connectionString });

  const session: ChatSession = async (scope, work) => {
    const claims = requireClaims(scope);
    return db.transaction().execute(async (transaction) => {
      // Both settings end with the transaction (`is_local`), so a pooled connection never
      // carries one caller's identity into another's queries.
      await sql`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`.execute(
        transaction,
      );
      return work(transaction);
    });
  };

  return { ...kyselyStore({ db, flavor: 'postgres', ownsDatabase: false, session }), close };
}

/** The caller's claims, which must name the same user as the scope: that is who the rows belong to. */
function requireClaims(scope: ChatScope): Record<string, unknown> {
  const { claims } = scope;
  if (!claims) {
    throw new Error(
      "supabaseStore() needs the caller's JWT claims to run queries as them: authenticate with supabaseAuth(), or return `claims` from your auth function.",
    );
  }
  if (claims.sub !== scope.userId) {
    throw new Error(
      "supabaseStore() needs claims whose `sub` is the caller's user id: row-level security checks owners against auth.uid(), which reads `sub`.",
    );
  }
  return claims;
}
