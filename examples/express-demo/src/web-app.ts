import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

/**
 * Serves the built host app (`web/dist`): its hashed assets cached for a year, and `index.html`
 * for every other page a browser asks for, so that `/chat/<thread id>` survives a reload (the
 * app routes on the client). Mount it after the API so that `/api/...` never answers a page.
 */
export function webApp(directory: string): Router {
  const root = resolve(directory);
  const index = join(root, 'index.html');
  const router = express.Router();
  router.use(
    '/assets',
    express.static(join(root, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(root, { index: false }));
  router.use((request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !request.accepts('html')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      response
        .status(503)
        .type('text')
        .send(
          `The demo page is not built (${index} is missing).\n` +
            'Run `pnpm demo` from the repository root, or `pnpm --filter express-demo build:web`.\n' +
            'The API is at /api/chat; /api describes it.\n',
        );
      return;
    }
    // The page is small and names its hashed assets: always revalidate it.
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
  return router;
}
