import { afterAll, beforeAll, describe } from 'vitest';
import { inProcessBus, inProcessBusRegistry } from '../bus/in-process-bus';
import { postgresBus } from '../bus/postgres-bus';
import { redisBus } from '../bus/redis-bus';
import { postgresStore } from '../postgres/postgres-store';
import { memoryStore } from '../store/memory-store';
import { describeTwoInstances } from '../testing/instances-contract';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';

// One process, two handlers: what one instance does, the other sees through the store and bus.
describeTwoInstances('memory store, in-process bus', async () => {
  const store = memoryStore();
  const registry = inProcessBusRegistry();
  return {
    stores: [store, store],
    buses: [inProcessBus({ registry }), inProcessBus({ registry })],
    close: async () => {},
  };
});

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!databaseUrl)('on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(databaseUrl!, 'confab_instances');
  });
  afterAll(() => database?.drop());

  /** Two stores, each with its own pool, as two server processes would have. */
  async function stores() {
    const options = { connectionString: database.url, poolConfig: { max: 4 } };
    return [await postgresStore(options), await postgresStore(options)] as const;
  }

  describeTwoInstances('PostgreSQL store, LISTEN/NOTIFY bus', async () => {
    const [a, b] = await stores();
    const buses = [
      await postgresBus({ connectionString: database.url }),
      await postgresBus({ connectionString: database.url }),
    ] as const;
    return {
      stores: [a, b],
      buses: [...buses],
      async close() {
        await Promise.all([...buses.map((bus) => bus.close()), a.close(), b.close()]);
      },
    };
  });

  describe.skipIf(!redisUrl)('with Redis (REDIS_URL)', () => {
    describeTwoInstances('PostgreSQL store, Redis bus', async () => {
      const [a, b] = await stores();
      const channelPrefix = `confab-test-${crypto.randomUUID()}:thread:`;
      const buses = [
        await redisBus({ url: redisUrl, channelPrefix }),
        await redisBus({ url: redisUrl, channelPrefix }),
      ] as const;
      return {
        stores: [a, b],
        buses: [...buses],
        async close() {
          await Promise.all([...buses.map((bus) => bus.close()), a.close(), b.close()]);
        },
      };
    });
  });
});
