// Builds dist/embed.js: <confab-chat> for pages without React or a build step, in one file with
// React, react-dom and react-query inside, minified, in production mode. Served from a CDN as
// @confab/react/embed.js. It runs after tsup (whose clean empties dist/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'dist', 'embed.js');

await build({
  entryPoints: [join(root, 'src', 'embed', 'index.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled, a module's 'use client' directive means nothing; esbuild would warn about each.
  logOverride: { 'unsupported-directive': 'silent' },
  banner: { js: '/* @confab/react embed: <confab-chat>. MIT; bundles React (MIT). */' },
});

const code = readFileSync(outfile);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`embed.js: ${kib(code.length)} minified, ${kib(gzipSync(code).length)} min+gzip`);
