import { confabChatTransport } from '@confab/core/ai-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessBackend } from '../in-process/in-process-backend';
import { demoModel } from '../models/demo-model';
import { postgresStore } from '../postgres/postgres-store';
import { memoryStore } from '../store/memory-store';
import { RecordingChat, uiText } from '../testing/ai-sdk-chat';
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

describe('confabChatTransport over inProcessBackend (no server)', () => {
  it('sends, streams and regenerates in-process', async () => {
    let calls = 0;
    const backend = inProcessBackend({
      model: demoModel({ tokenDelayMs: 0, reply: () => [`Answer ${++calls}`] }),
    });
    const chat = new RecordingChat({ transport: confabChatTransport({ backend }) });
    await chat.sendMessage({ text: 'Hi' });
    expect(chat.status).toBe('ready');
    expect(chat.messages.map(uiText)).toEqual(['Hi', 'Answer 1']);
    const page = await backend.listMessages(chat.id);
    expect(page.items.map((message) => message.id)).toEqual(
      chat.messages.map((message) => message.id),
    );
    await chat.regenerate();
    expect(chat.messages.map(uiText)).toEqual(['Hi', 'Answer 2']);
    await backend.handler.close();
  });
});
