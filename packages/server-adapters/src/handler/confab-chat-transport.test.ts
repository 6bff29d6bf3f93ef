import { afterAll, beforeAll, describe } from 'vitest';
import { postgresStore } from '../postgres/postgres-store';
import { memoryStore } from '../store/memory-store';
import { describeConfabChatTransport } from '../testing/confab-chat-transport-contract';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';

describeConfabChatTransport('memory store', async () => ({
  store: memoryStore(),
  close: async () => {},
}));

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(databaseUrl!, 'confab_transport');
  });
  afterAll(() => database?.drop());

  describeConfabChatTransport('PostgreSQL store', async () => {
    const store = await postgresStore({ connectionString: database.url, poolConfig: { max: 4 } });
    return { store, close: () => store.close() };
  });
});
