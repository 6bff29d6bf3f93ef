// Builds dist/embed.js: <confab-chat> for pages without React or a build step, an ES module with
// React, react-dom and react-query inside, minified, in production mode. What the widget loads
// on demand (the code highlighter and its grammars) is in dist/embed-chunks/, fetched by the
// browser relative to embed.js when first used. Served from a CDN as @confab/react/embed.js. It
// runs after tsup (whose clean empties dist/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { embed: join(root, 'src', 'embed', 'index.ts') },
  outdir: dist,
  chunkNames: 'embed-chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  // Bundled, a module's 'use client' directive means nothing; esbuild would warn about each.
  logOverride: { 'unsupported-directive': 'silent' },
  banner: { js: '/* @confab/react embed: <confab-chat>. MIT; bundles React (MIT). */' },
});

// What a page loads at start: embed.js and the chunks it imports statically.
const outputs = metafile.outputs;
const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint?.endsWith('index.ts'));
const first = new Set();
const pending = [entry];
while (pending.length > 0) {
  const name = pending.pop();
  if (first.has(name)) continue;
  first.add(name);
  for (const item of outputs[name].imports) {
    if (item.kind === 'import-statement' && !item.external) pending.push(item.path);
  }
}
const code = Buffer.concat([...first].map((name) => readFileSync(join(root, name))));
const lazy = Object.keys(outputs).filter((name) => !first.has(name) && name.endsWith('.js'));
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
  `embed.js: ${kib(code.length)} minified, ${kib(gzipSync(code, { level: 9 }).length)} min+gzip at start; ` +
    `${lazy.length} chunks on demand`,
);
