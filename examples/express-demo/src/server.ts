import { resolve } from 'node:path';
import { createChatHandler, devAuth } from '@confab/server';
import { chatMiddleware } from '@confab/server/express';
import express from 'express';
import { embedPage } from './embed-page.ts';
import { modelFromEnv } from './model-from-env.ts';
import { sessionRoutes } from './session-routes.ts';
import { storeFromEnv } from './store-from-env.ts';
import { webApp } from './web-app.ts';

const port = Number(process.env.PORT ?? 4321);
const host = process.env.HOST ?? 'localhost';
const webDirectory = process.env.CONFAB_WEB_DIST ?? resolve(import.meta.dirname, '../web/dist');

const storage = await storeFromEnv();
const { model, name } = modelFromEnv();
const milliseconds = (value: string | undefined) => (value ? Number(value) : undefined);
const handler = createChatHandler({
  store: storage.store,
  bus: storage.bus,
  model,
  // The demo names users by the x-confab-user header or confab_user cookie (default "demo").
  auth: devAuth(),
  staleAfterMs: milliseconds(process.env.CONFAB_STALE_AFTER_MS),
  leaseMs: milliseconds(process.env.CONFAB_LEASE_MS),
});

const app = express();
app.disable('x-powered-by');
// The page's sign-in sets the cookie that devAuth() reads.
app.use('/api/session', sessionRoutes());
app.use('/api/chat', chatMiddleware(handler));
app.get('/api', (_request, response) => {
  response.json({
    name: 'Confab demo server',
    page: '/',
    embed: '/embed/',
    api: '/api/chat',
    model: name,
    try: [
      'GET /api/chat/health',
      'GET /api/chat/models',
      'POST /api/chat/threads',
      'POST /api/chat/threads/:id/messages {"text":"Hello"}',
      'GET /api/chat/threads/:id/events',
    ],
  });
});
app.use('/api', (_request, response) => {
  response.status(404).json({ error: { code: 'not_found', message: 'No such API route.' } });
});
// The script-tag example: the widget on a page without React (examples/script-tag).
app.use('/embed', embedPage());
app.use(webApp(webDirectory));

const server = app.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(
    `Confab demo on http://${host}:${actualPort} (page at /, script-tag page at /embed/, API at /api/chat, ${name}, ${storage.name})`,
  );
});

async function shutdown() {
  server.close();
  await handler.close();
  await storage.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
