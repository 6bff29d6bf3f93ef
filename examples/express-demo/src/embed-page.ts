import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

const page = resolve(import.meta.dirname, '../../script-tag/index.html');

/**
 * Serves the script-tag example (examples/script-tag): the page at `/`, and `@confab/react`'s
 * built `embed.js` beside it, resolved as any installed package's file would be. Mount it under
 * a path such as `/embed`.
 */
export function embedPage(): Router {
  const script = fileURLToPath(import.meta.resolve('@confab/react/embed.js'));
  const router = express.Router();
  router.get('/', (request, response, next) => {
    // The page names its script relatively: serve it from `/embed/`, not `/embed`.
    if (!request.originalUrl.split('?')[0]!.endsWith('/')) {
      response.redirect(301, `${request.baseUrl}/`);
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(page, (error) => error && next(error));
  });
  router.get('/embed.js', (_request, response) => {
    if (!existsSync(script)) {
      response
        .status(503)
        .type('text')
        .send(`${script} is not built. Run \`pnpm demo\` (or \`pnpm build\`) first.\n`);
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(script);
  });
  return router;
}
