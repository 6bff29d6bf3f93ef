import { afterAll, beforeAll, describe } from 'vitest';
import { postgresStore } from '../postgres/postgres-store';
import { memoryStore } from '../store/memory-store';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../testing/postgres-test-database';
import { describeUIMessageStream } from '../testing/ui-message-stream-contract';

describeUIMessageStream('memory store', async () => ({
  store: memoryStore(),
  close: async () => {},
}));

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('on PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(databaseUrl!, 'confab_ui_stream');
  });
  afterAll(() => database?.drop());

  describeUIMessageStream('PostgreSQL store', async () => {
    const store = await postgresStore({ connectionString: database.url, poolConfig: { max: 4 } });
    return { store, close: () => store.close() };
  });
});
