#!/usr/bin/env node
// Builds what the demo serves (the packages, then the demo's page) only where something changed
// since the last build: a warm `npm run demo` starts in seconds instead of rebuilding everything.
// With `packages`, only the packages (what the other examples need). A build is stale when its
// output is missing, when a file it is built from is newer than its
// last successful build, or when something it depends on was built after it.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamps = join(root, 'node_modules', '.cache', 'confab-builds');

/** A package of the workspace: built by its own `build` script, from its sources and config. */
const workspacePackage = (name, directory, after = []) => ({
  name,
  directory,
  inputs: ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'],
  output: 'dist/index.js',
  after,
  command: ['--filter', name, 'build'],
});

const builds = [
  workspacePackage('@confab/core', 'packages/core'),
  workspacePackage('@confab/server', 'packages/server-adapters', ['@confab/core']),
  workspacePackage('@confab/react', 'packages/react', ['@confab/core']),
  {
    name: 'the demo page',
    directory: 'examples/express-demo',
    inputs: ['web', 'package.json'],
    output: 'web/dist/index.html',
    after: ['@confab/core', '@confab/react'],
    command: ['--filter', 'express-demo', 'build:web'],
  },
];

/**
 * The newest modification time of the files under `path` (a file or a folder), output folders
 * left out. Folders' own times are not counted: a build that writes a temporary file beside its
 * config (Vite does) would make its sources look changed.
 */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const stampOf = (build) => join(stamps, `${build.name.replace(/[^a-z0-9]+/gi, '-')}.stamp`);
const builtAt = (build) => (existsSync(stampOf(build)) ? statSync(stampOf(build)).mtimeMs : 0);

// Under `pnpm run`, pnpm says where it is; otherwise the pinned pnpm, as scripts/run.mjs runs it.
const execPath = process.env.npm_execpath;
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (args) =>
  execPath && /pnpm/.test(basename(execPath))
    ? spawnSync(process.execPath, [execPath, ...args], { cwd: root, stdio: 'inherit' })
    : spawnSync(
        process.platform === 'win32' ? 'npx.cmd' : 'npx',
        ['--yes', packageManager, ...args],
        {
          cwd: root,
          stdio: 'inherit',
        },
      );

const wanted =
  process.argv[2] === 'packages' ? builds.filter((build) => build.name.startsWith('@')) : builds;
mkdirSync(stamps, { recursive: true });
for (const build of wanted) {
  const directory = join(root, build.directory);
  const last = builtAt(build);
  const changed = Math.max(...build.inputs.map((input) => newest(join(directory, input))));
  const dependency = Math.max(
    0,
    ...build.after.map((name) => builtAt(builds.find((item) => item.name === name))),
  );
  const stale = !existsSync(join(directory, build.output)) || changed > last || dependency > last;
  if (!stale) {
    console.log(`${build.name}: up to date`);
    continue;
  }
  console.log(`Building ${build.name}...`);
  // The stamp is dated when the build started: a file saved while it runs is newer, and builds
  // again next time.
  const started = new Date();
  const result = run(build.command);
  if (result.error) console.error(`Could not run pnpm: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampOf(build), `${started.toISOString()}\n`);
  utimesSync(stampOf(build), started, started);
}
