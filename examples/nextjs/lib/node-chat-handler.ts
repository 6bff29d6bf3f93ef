import { type ChatHandler, type ChatStore, createChatHandler } from '@confab/server';
import { after } from 'next/server';
import { demoAuth } from './demo-session';
import { modelFromEnv } from './model-from-env';

let opening: Promise<ChatHandler> | undefined;

/**
 * The Node.js route's handler, created on its first request rather than when the module loads:
 * `next build` loads route modules to collect their configuration, and must not open the database.
 */
export function nodeChatHandler(): Promise<ChatHandler> {
  opening ??= openStore().then(
    (store) =>
      createChatHandler({
        store,
        model: modelFromEnv(),
        auth: demoAuth,
        // On a serverless host, keep the function alive until an answer whose reader left is
        // stored (`next start` keeps running anyway).
        waitUntil: after,
      }),
    (error: unknown) => {
      // The next request tries again (the database may come up later).
      opening = undefined;
      throw error;
    },
  );
  return opening;
}

/**
 * PostgreSQL when `CONFAB_DATABASE_URL` is set, else the embedded SQLite file. Each store is
 * imported only when chosen, so the unused driver is never loaded.
 */
async function openStore(): Promise<ChatStore> {
  const connectionString = process.env.CONFAB_DATABASE_URL;
  if (connectionString) {
    const { postgresStore } = await import('@confab/server/postgres');
    return postgresStore({ connectionString });
  }
  const { sqliteStore } = await import('@confab/server/sqlite');
  return sqliteStore({ filename: process.env.CONFAB_SQLITE_FILE || '.confab/chat.db' });
}
