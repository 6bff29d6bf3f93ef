import type { ChatStore } from '../store/chat-store';
import { kyselyStore } from '../store/kysely-store';
import { migrateChatDatabase } from '../store/migrations';
import { type PostgresConnectionOptions, postgresDatabase } from './postgres-database';

export interface PostgresStoreOptions extends PostgresConnectionOptions {
  /**
   * Applies pending migrations before the store is returned. Default true. Turn it off when
   * migrations run as a deploy step (`npx confab migrate`).
   */
  migrate?: boolean;
}

/**
 * The ChatStore on PostgreSQL through `pg`. The same queries as the embedded SQLite store; the
 * tables are created by versioned migrations, applied here (under Kysely's migration lock, so
 * several instances starting at once apply each migration once) or from the command line.
 */
export async function postgresStore(options: PostgresStoreOptions = {}): Promise<ChatStore> {
  const { db, close } = await postgresDatabase(options);
  try {
    if (options.migrate !== false) await migrateChatDatabase(db, 'postgres');
  } catch (error) {
    await close();
    throw error;
  }
  return { ...kyselyStore({ db, flavor: 'postgres', ownsDatabase: false }), close };
}
