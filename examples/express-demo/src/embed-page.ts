import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

const page = resolve(import.meta.dirname, '../../script-tag/index.html');

/**
 * Serves the script-tag example (examples/script-tag): the page at `/`, and `@confab/react`'s
 * built `embed.js` beside it with the chunks it loads on demand (`embed-chunks/`), resolved as
 * any installed package's file would be. Mount it under a path such as `/embed`.
 */
export function embedPage(): Router {
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
    // Resolved per request: the server starts (and serves the API) before the package is built.
    const script = builtScript();
    if (!script) {
      response
        .status(503)
        .type('text')
        .send('@confab/react/embed.js is not built. Run `pnpm demo` (or `pnpm build`) first.\n');
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(script);
  });
  router.get('/embed-chunks/:file', (request, response) => {
    const script = builtScript();
    const file = request.params.file;
    const missing = () => response.status(404).type('text').send('No such chunk.\n');
    // Chunk names are esbuild's: letters, digits, "-" and "_", ending in .js.
    if (!script || !/^[\w-]+\.js$/.test(file)) {
      missing();
      return;
    }
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(join(dirname(script), 'embed-chunks', file), (error) => error && missing());
  });
  return router;
}

function builtScript(): string | null {
  try {
    const path = fileURLToPath(import.meta.resolve('@confab/react/embed.js'));
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
