// Entry (c): what streaming costs React. A 1,000-message thread in the real components
// (MessageList, Message, Composer) in Debian's Chromium, then an answer of 2,000 tokens, at a
// steady 500 tokens/s and as fast as the page can take them. React's Profiler (the profiling
// build of react-dom) counts commits and render time; the aim is one commit per frame at most,
// whatever the token rate, and no message but the streaming one re-rendering.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';

const root = join(import.meta.dirname, '..');
const RATES = [500, null];
const ROUNDS = 3;

async function buildPage(outDir) {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: join(import.meta.dirname, 'react-render'),
    mode: 'production',
    plugins: [react()],
    resolve: {
      dedupe: ['react', 'react-dom'],
      alias: [
        // The profiling build keeps the Profiler's timings in a production bundle.
        { find: /^react-dom\/client$/, replacement: 'react-dom/profiling' },
        { find: /^@confab\/core$/, replacement: join(root, 'packages/core/dist/index.js') },
        { find: /^@confab\/react$/, replacement: join(root, 'packages/react/dist/index.js') },
        {
          find: /^@confab\/react\/styles\.css$/,
          replacement: join(root, 'packages/react/dist/styles.css'),
        },
      ],
    },
    build: { outDir, emptyOutDir: true, minify: true },
  });
}

function serve(directory) {
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

export async function reactRender({ log }) {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's chromium or set CHROMIUM_PATH.`,
    );
  }
  const outDir = join(root, 'bench', 'results', 'react-render-page');
  await buildPage(outDir);
  const server = await serve(outDir);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const rows = [];
  try {
    for (const rate of RATES) {
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) {
        // A fresh page per round: the same 1,000-message thread each time.
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.evaluate(() => window.confabBench.ready);
        runs.push(
          await page.evaluate(
            (tokensPerSecond) => window.confabBench.stream(tokensPerSecond),
            rate,
          ),
        );
        await page.close();
      }
      const median = (key) =>
        runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
      const row = {
        rate: rate === null ? 'as fast as possible' : `${rate} tokens/s`,
        tokens: runs[0].tokens,
        streamMs: median('streamMs'),
        frames: median('frames'),
        commits: median('commits'),
        commitsPerFrame: median('commits') / Math.max(1, median('frames')),
        renderMs: median('renderMs'),
        perCommitMs: median('renderMs') / Math.max(1, median('commits')),
        maxCommitMs: median('maxCommitMs'),
        others: Math.max(...runs.map((run) => run.otherMessagesRendered)),
      };
      if (runs.some((run) => run.finalLength === 0)) throw new Error('An answer came back empty.');
      log(
        `${row.rate}: ${row.commits} commits in ${row.frames} frames, ${row.renderMs.toFixed(1)} ms rendering`,
      );
      rows.push(row);
    }
  } finally {
    await browser.close();
    server.close();
  }
  return {
    title: 'React rendering while an answer streams: 2,000 tokens into a 1,000-message thread',
    description: [
      `Debian Chromium, headless, the profiling build of react-dom; median of ${ROUNDS} fresh pages.`,
      'commits and render time are React Profiler totals from the send to the last frame;',
      '"other messages re-rendered" counts messages other than the answer that rendered while its',
      'deltas arrived (the aim is 0).',
    ],
    columns: [
      { key: 'rate', label: 'token rate', align: 'left' },
      { key: 'streamMs', label: 'stream', digits: 0, suffix: ' ms' },
      { key: 'frames', label: 'frames' },
      { key: 'commits', label: 'commits' },
      { key: 'commitsPerFrame', label: 'commits/frame', digits: 2 },
      { key: 'renderMs', label: 'render total', digits: 1, suffix: ' ms' },
      { key: 'perCommitMs', label: 'per commit', digits: 2, suffix: ' ms' },
      { key: 'maxCommitMs', label: 'slowest commit', digits: 1, suffix: ' ms' },
      { key: 'others', label: 'other messages re-rendered' },
    ],
    rows,
  };
}
