// Entry (d): what the packages add to an app's JavaScript, minified and gzipped, without the
// peers the app already has (react, react-dom, @tanstack/react-query). Each package is bundled
// from its built ESM with everything it imports, as an app's bundler would take it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(import.meta.dirname, '..');
const peers = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/];

const bundles = [
  {
    name: '@confab/core',
    code: `export * from '${root}/packages/core/dist/index.js';`,
    external: peers,
  },
  {
    name: '@confab/react, without @confab/core',
    code: `export * from '${root}/packages/react/dist/index.js';`,
    external: [...peers, /^@confab\/core$/],
  },
  {
    name: '@confab/react with @confab/core',
    code: `export * from '${root}/packages/react/dist/index.js';`,
    external: peers,
  },
  {
    name: '@confab/react/styles.css',
    css: `${root}/packages/react/dist/styles.css`,
  },
];

export async function bundleSize({ log }) {
  const rows = [];
  const directory = mkdtempSync(join(tmpdir(), 'confab-size-'));
  try {
    for (const bundle of bundles) {
      let output;
      if (bundle.css) {
        // Whitespace and comments out, as a CSS minifier would do at the least.
        output = readFileSync(bundle.css, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{}:;,>])\s*/g, '$1');
      } else {
        const entry = join(directory, 'entry.js');
        writeFileSync(entry, bundle.code);
        const result = await build({
          configFile: false,
          logLevel: 'silent',
          root: directory,
          resolve: { alias: { '@confab/core': `${root}/packages/core/dist/index.js` } },
          build: {
            write: false,
            minify: true,
            lib: { entry, formats: ['es'], fileName: 'bundle' },
            rollupOptions: { external: bundle.external },
          },
        });
        const outputs = (Array.isArray(result) ? result : [result]).flatMap((item) => item.output);
        output = outputs
          .filter((chunk) => chunk.type === 'chunk')
          .map((chunk) => chunk.code)
          .join('\n');
      }
      const minified = Buffer.byteLength(output);
      const gzipped = gzipSync(output, { level: 9 }).length;
      log(`${bundle.name}: ${(gzipped / 1024).toFixed(1)} KiB min+gzip`);
      rows.push({ name: bundle.name, minified: minified / 1024, gzipped: gzipped / 1024 });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return {
    title: 'Bundle size: what the packages add to an app, without react, react-dom and react-query',
    description: [
      'Bundled from the built ESM with vite (minify on), gzip level 9.',
      '@confab/core includes zod, ky and eventsource-parser; @confab/react includes the markdown',
      'renderer (react-markdown, remark-gfm, lowlight with its 15 grammars) and react-virtual.',
    ],
    columns: [
      { key: 'name', label: 'bundle', align: 'left' },
      { key: 'minified', label: 'minified', digits: 1, suffix: ' KiB' },
      { key: 'gzipped', label: 'min+gzip', digits: 1, suffix: ' KiB' },
    ],
    rows,
  };
}
