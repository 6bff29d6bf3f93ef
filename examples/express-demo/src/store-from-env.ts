import { resolve } from 'node:path';
import type { ChatStore, ThreadEventBus } from '@confab/server';
import { sqliteStore } from '@confab/server/sqlite';

export interface DemoStorage {
  store: ChatStore;
  /** Carries thread events between instances; none for one instance on SQLite. */
  bus?: ThreadEventBus;
  /** What the demo says it uses. */
  name: string;
  close(): Promise<void>;
}

/**
 * The demo's store: PostgreSQL when `DATABASE_URL` is set (then several instances can share it,
 * with their events on PostgreSQL's LISTEN/NOTIFY, or on Redis when `REDIS_URL` is set too),
 * else the embedded SQLite file in `CONFAB_DATABASE` (default `.confab/demo.db`).
 */
export async function storeFromEnv(): Promise<DemoStorage> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const filename =
      process.env.CONFAB_DATABASE ?? resolve(import.meta.dirname, '../../../.confab/demo.db');
    const store = await sqliteStore({ filename });
    return { store, name: `data in ${filename}`, close: () => store.close() };
  }
  const { postgresBus, postgresStore } = await import('@confab/server/postgres');
  const store = await postgresStore({ connectionString: databaseUrl });
  const redisUrl = process.env.REDIS_URL;
  const bus = redisUrl
    ? await (await import('@confab/server/redis')).redisBus({ url: redisUrl })
    : await postgresBus({ connectionString: databaseUrl });
  return {
    store,
    bus,
    name: `data in PostgreSQL, events on ${redisUrl ? 'Redis' : 'PostgreSQL'}`,
    async close() {
      await bus.close();
      await store.close();
    },
  };
}
