#!/usr/bin/env node
// Runs a workspace script on a machine that may have nothing but Node and npm: installs the
// pinned pnpm and the dependencies (Node 24 among them) when they are missing or out of date,
// then runs the script with pnpm, which puts the workspace's Node 24 first on the PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const script = process.argv[2];
const args = process.argv.slice(3);
if (!script) {
  console.error('usage: node scripts/run.mjs <script> [args...]');
  process.exit(2);
}

const isWindows = process.platform === 'win32';
const npx = isWindows ? 'npx.cmd' : 'npx';
const pnpm = (pnpmArgs) =>
  spawnSync(npx, ['--yes', packageManager, ...pnpmArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

const lockfile = join(root, 'pnpm-lock.yaml');
const marker = join(root, 'node_modules', '.pnpm', 'lock.yaml');
const installed = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs;
if (!installed) {
  console.log(`Installing dependencies with ${packageManager}...`);
  const install = pnpm(['install', '--frozen-lockfile']);
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const result = pnpm(['run', script, ...args]);
process.exit(result.status ?? 1);
