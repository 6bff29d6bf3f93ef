// Tries the packages as a new user would: packs them (`pnpm pack`, as npm would publish them),
// scaffolds a stock Vite + React app (`npm create vite`, its own CSS untouched), installs the
// tarballs with npm, adds `<ChatWidget>` to the template's page, and builds it. It prints what
// Vite printed (a large-chunk warning included) and the size of every JavaScript and CSS file the
// page loads, min+gzip.
//
// With `--serve` it also runs a Confab server from the packed `@confab/server` (memory store,
// offline demo model), serves the built page through `vite preview` with `/api/chat` proxied to
// it, sends a message in Chromium and saves a screenshot of the answered widget.
//
//   node scripts/host-app.mjs [--dir /tmp/confab-host-app] [--serve]
//
// Build the packages first (`pnpm build`). The scaffold and the install need the npm registry.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/confab-host-app' },
    serve: { type: 'boolean', default: false },
  },
});
const directory = values.dir;
const app = join(directory, 'app');
const packs = join(directory, 'packs');
const packages = ['core', 'react', 'server-adapters'];

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const pnpm = (args, cwd) => run('npx', ['--yes', 'pnpm@10.34.8', ...args], cwd);

mkdirSync(directory, { recursive: true });
rmSync(packs, { recursive: true, force: true });
mkdirSync(packs);
for (const name of packages) {
  if (!existsSync(join(root, 'packages', name, 'dist'))) {
    throw new Error(`packages/${name} is not built: run pnpm build first.`);
  }
  pnpm(['pack', '--pack-destination', packs], join(root, 'packages', name));
}
const tarballs = readdirSync(packs).map((file) => join(packs, file));
console.log(`packed: ${readdirSync(packs).join(', ')}`);

if (!existsSync(app)) {
  run(
    'npm',
    ['create', '--yes', 'vite@latest', 'app', '--', '--template', 'react-ts', '--no-interactive'],
    directory,
  );
}
const pristine = join(app, 'src', 'App.template.tsx');
if (!existsSync(pristine))
  writeFileSync(pristine, readFileSync(join(app, 'src', 'App.tsx'), 'utf8'));

// The template's page, with the widget added at its end, open. Without `@confab/react/styles.css`:
// the widget carries its stylesheet into its shadow root and needs no import (the file is for the
// components rendered in the page's own tree), so importing it too would ship the same rules twice.
const template = readFileSync(pristine, 'utf8');
const fragmentEnd = /(\n\s*)<\/>\n\s*\)\n\}/;
// A template of another shape would be built without the widget, and measured as if it had it.
if (!fragmentEnd.test(template))
  throw new Error('The template App.tsx has no closing </> to add the widget before.');
writeFileSync(
  join(app, 'src', 'App.tsx'),
  `import { ChatWidget } from '@confab/react'\n${template.replace(
    fragmentEnd,
    `$1  <ChatWidget endpoint="/api/chat" title="Help" defaultOpen />$1</>\n  )\n}`,
  )}`,
);
const port = await freePort();
writeFileSync(
  join(app, 'vite.config.ts'),
  `import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const proxy = { '/api/chat': 'http://127.0.0.1:${port}' }
export default defineConfig({ plugins: [react()], server: { proxy }, preview: { proxy } })
`,
);
writeFileSync(
  join(app, 'confab-server.mjs'),
  `import { createServer } from 'node:http'
import { createChatHandler, demoModel, memoryStore } from '@confab/server'
import { toNodeListener } from '@confab/server/node'

const handler = createChatHandler({
  store: memoryStore(),
  model: demoModel({ tokenDelayMs: 5 }),
  auth: () => ({ userId: 'host-app-user' }),
  basePath: '/api/chat',
})
createServer(toNodeListener(handler)).listen(Number(process.argv[2]), '127.0.0.1')
`,
);

run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
run(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', '@tanstack/react-query', ...tarballs],
  app,
);
rmSync(join(app, 'dist'), { recursive: true, force: true });
// Vite prints its warnings on stderr.
const built = spawnSync('npx', ['vite', 'build'], { cwd: app, encoding: 'utf8' });
const output = `${built.stdout}${built.stderr}`;
console.log(output.trim());
if (built.status !== 0) throw new Error(`vite build failed (${built.status})`);
const largeChunkWarning = /larger than \d+ kB/.test(output);

const assets = join(app, 'dist', 'assets');
const html = readFileSync(join(app, 'dist', 'index.html'), 'utf8');
console.log('\nfiles, min+gzip (* = loaded by the page at start):');
for (const file of readdirSync(assets).filter((name) => /\.(js|css)$/.test(name))) {
  const gzipped = gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
  const initial = html.includes(file) ? '*' : ' ';
  console.log(`  ${initial} ${file}: ${(gzipped / 1024).toFixed(1)} KiB`);
}
console.log(largeChunkWarning ? '\nVite warned of a large chunk.' : '\nNo large-chunk warning.');

if (values.serve) await serve();

async function serve() {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs, chromiumPath } = await import('./chromium.mjs');
  const previewPort = await freePort();
  const server = spawn(process.execPath, ['confab-server.mjs', String(port)], {
    cwd: app,
    stdio: 'inherit',
  });
  // Vite itself, not through npx: killing npx would leave its child serving.
  const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
  const preview = spawn(
    process.execPath,
    [vite, 'preview', '--port', String(previewPort), '--strictPort'],
    {
      cwd: app,
      stdio: 'ignore',
    },
  );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await waitFor(() => page.goto(`http://127.0.0.1:${previewPort}/`));
    const composer = page.getByRole('textbox').last();
    await composer.fill('Hello from a stock Vite app');
    await composer.press('Enter');
    await page
      .getByText(/Hello from a stock Vite app/)
      .first()
      .waitFor();
    await page.waitForTimeout(3000);
    const file = join(directory, 'host-app.png');
    await page.screenshot({ path: file });
    console.log(`screenshot: ${file}`);
  } finally {
    await browser.close();
    server.kill();
    preview.kill();
  }
}

async function waitFor(attempt) {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
