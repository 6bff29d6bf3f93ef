// What the browser entries share: a page built by Vite against the built packages, served on
// loopback, and Debian's Chromium to open it (these machines cannot download a browser).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

export const root = join(import.meta.dirname, '..');

// React 18 and the libraries that import React, as tests/react-18 installs them.
const react18 = (name) => join(root, 'tests/react-18/node_modules', name);

/**
 * Builds the page in `bench/<page>/` (its index.html and what it imports) into `outDir`, with
 * `@confab/*` resolved to the built packages in `packages/*\/dist`.
 *
 * - `profiling`: react-dom's profiling build, which keeps the `<Profiler>` timings in a
 *   production bundle.
 * - `reactVersion`: 19 (the workspace's) or 18 (tests/react-18's, with its react-virtual and
 *   react-query, so nothing in the page loads React 19).
 * - `minify`: off to read a CPU profile by function name.
 * - `reactDist`: another build of @confab/react to load (say, of an earlier commit), to compare
 *   two versions in the same run.
 */
export async function buildPage(
  page,
  outDir,
  {
    profiling = false,
    reactVersion = 19,
    minify = true,
    reactDist = join(root, 'packages/react/dist'),
  } = {},
) {
  const aliases = [
    { find: /^@confab\/core$/, replacement: join(root, 'packages/core/dist/index.js') },
    { find: /^@confab\/react$/, replacement: join(reactDist, 'index.js') },
    { find: /^@confab\/react\/styles\.css$/, replacement: join(reactDist, 'styles.css') },
    // The pages' backend: the real handler, in the page (inProcessBackend).
    {
      find: /^@confab\/server$/,
      replacement: join(root, 'packages/server-adapters/dist/index.js'),
    },
  ];
  if (reactVersion === 18) {
    const modules = {
      // React 18's client entry re-exports react-dom's, which the next alias makes the
      // profiling build when asked.
      'react-dom/client': 'react-dom/client.js',
      'react-dom': profiling ? 'react-dom/profiling.js' : 'react-dom/index.js',
      'react/jsx-runtime': 'react/jsx-runtime.js',
      react: 'react/index.js',
      '@tanstack/react-query': '@tanstack/react-query',
      '@tanstack/react-virtual': '@tanstack/react-virtual',
    };
    for (const [name, target] of Object.entries(modules)) {
      aliases.push({
        find: new RegExp(`^${name.replaceAll('/', '\\/')}$`),
        replacement: react18(target),
      });
    }
  } else if (profiling) {
    aliases.push({ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' });
  }
  await build({
    configFile: false,
    logLevel: 'warn',
    root: join(import.meta.dirname, page),
    mode: 'production',
    plugins: [react()],
    resolve: { dedupe: ['react', 'react-dom'], alias: aliases },
    build: { outDir, emptyOutDir: true, minify },
  });
}

/** Serves a built page's folder on a free loopback port; resolves to the listening server. */
export function servePage(directory) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    try {
      const body = await readFile(join(directory, path === '/' ? 'index.html' : path));
      response.writeHead(200, { 'content-type': types[extname(path) || '.html'] ?? 'text/plain' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The page's address on a server from `servePage`, with an optional query string. */
export function pageUrl(server, search = '') {
  return `http://127.0.0.1:${server.address().port}/${search}`;
}

/** Debian's Chromium, headless, with the flags every browser run here uses. */
export async function launchChromium() {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's chromium or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** The median of some numbers (the lower middle one for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
