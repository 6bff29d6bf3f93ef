// Rebuilds the two modules the package loads on demand, each as one self-contained file (runs
// after tsup, which built them as entries that import shared chunks, and so wrote the paths of
// the `import()`s that fetch them right):
//
// - dist/message/markdown-renderer.js, the markdown renderer that `lazy-markdown.tsx` fetches.
//   Sharing a module with the first load (a chunk both import) would make esbuild's code
//   splitting put that module, and what it uses, in the first load of every app that bundles
//   the package: esbuild gives a module to every entry point that reaches it through any import,
//   used or not. So it imports only packages (react, marked, remend, highlight.js's grammars)
//   and, on demand, ./highlighter.js.
// - dist/message/highlighter.js, lowlight with highlight.js's core inside. That core is
//   CommonJS: left to the app's bundler, its CommonJS interop would be a runtime that esbuild
//   shares with, and so puts in the first load of, every app (0.35 KiB min+gzip for nothing).
//   The grammars it imports are ES modules (highlight.js's `import` condition), left as imports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packages = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)];

const shared = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  jsx: 'automatic',
  sourcemap: true,
  logOverride: { 'unsupported-directive': 'silent' },
};

await build({
  ...shared,
  entryPoints: [join(root, 'src', 'message', 'markdown-renderer.ts')],
  outfile: join(root, 'dist', 'message', 'markdown-renderer.js'),
  external: packages.flatMap((name) => [name, `${name}/*`]),
  banner: { js: "'use client';" },
  plugins: [
    {
      // The highlighter stays a file of its own, fetched when the first code block needs it.
      name: 'highlighter-on-demand',
      setup(builder) {
        builder.onResolve({ filter: /^\.\/highlighter$/ }, (args) =>
          args.kind === 'dynamic-import' ? { path: './highlighter.js', external: true } : undefined,
        );
      },
    },
  ],
});

await build({
  ...shared,
  entryPoints: [join(root, 'src', 'message', 'highlighter.ts')],
  outfile: join(root, 'dist', 'message', 'highlighter.js'),
  external: ['highlight.js/lib/languages/*'],
});
