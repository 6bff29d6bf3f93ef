// Entry `size`: what the packages add to a host app's JavaScript, minified and gzipped, without the
// peers the app already has (react, react-dom, @tanstack/react-query), measured with both Vite and
// esbuild (they tree-shake differently; the budget holds for the larger of the two).
//
// `node bench/bundle-size.mjs` (or `pnpm check:size`) prints the table and exits 1 when a row is
// over its budget; `node bench/run.mjs size` reports the same table among the other entries.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * KiB, min+gzip, for the larger of the Vite and esbuild bundles. `target` is issue 11's goal;
 * `budget` is the ceiling `check:size` fails CI above: the target once it is met, until then
 * what is met now, so that nothing grows while the gap is closed. The table shows both.
 */
export const budgets = {
  // Met with both bundlers once the code highlighter's file carried highlight.js's CommonJS core,
  // then lost again by the conversation tree in the controller and httpBackend (versions, edit,
  // switch, delete, fork, export): 20.0 KiB with Vite, 20.9 with esbuild. NOT met; the budget
  // holds what is met now until the backend's rarer methods stop weighing on every app.
  headless: { target: 20, budget: 21 },
  // Met since the markdown renderer loads on demand (it was 76.3 KiB with Vite, 79.9 with
  // esbuild). Left at start: zod/mini, @tanstack/react-virtual, the shadow root's stylesheet.
  widget: { target: 60, budget: 60 },
};

const root = join(import.meta.dirname, '..');
const peers = ['react', 'react-dom', '@tanstack/react-query'];

const bundles = [
  {
    name: 'headless: useChat + ChatProvider + httpBackend',
    ...budgets.headless,
    code: [
      "import { httpBackend } from '@confab/core';",
      "import { ChatProvider, useChat } from '@confab/react';",
      'export { ChatProvider, httpBackend, useChat };',
    ].join('\n'),
  },
  {
    name: '<ChatWidget>',
    ...budgets.widget,
    code: "export { ChatWidget } from '@confab/react';",
  },
  {
    name: '@confab/core, every export',
    code: "export * from '@confab/core';",
  },
  {
    // What an app on the AI SDK's `useChat` adds to it for Confab's protocol; `ai` is the app's.
    name: '@confab/core/ai-sdk: confabChatTransport + toUIMessages',
    code: "export { confabChatTransport, toUIMessages } from '@confab/core/ai-sdk';",
    external: ['ai'],
  },
  {
    name: '@confab/react/styles.css',
    css: join(root, 'packages/react/dist/styles.css'),
  },
];

const bundlers = {
  vite: async (directory, entry, external) => {
    const { build } = await import('vite');
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      root: directory,
      // An app's build, not a library's (lib mode leaves whitespace in ES output), keeping the
      // entry's exports as the app's own code would use them.
      build: {
        write: false,
        minify: true,
        modulePreload: false,
        rollupOptions: {
          input: entry,
          preserveEntrySignatures: 'exports-only',
          external: (id) => isPeer(id) || isExternal(id, external),
        },
      },
    });
    const chunks = (Array.isArray(result) ? result : [result])
      .flatMap((item) => item.output)
      .filter((chunk) => chunk.type === 'chunk');
    const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
    return splitByLoad(
      chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName),
      (name) => byName.get(name).imports.filter((imported) => byName.has(imported)),
      new Map(chunks.map((chunk) => [chunk.fileName, chunk.code])),
    );
  },
  esbuild: async (directory, entry, external) => {
    const { build } = await import('esbuild');
    const result = await build({
      absWorkingDir: directory,
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      external: [...peers, ...external].flatMap((name) => [name, `${name}/*`]),
      // Code splitting as an app build has it: what is behind `import()` becomes chunks of its
      // own, loaded on demand (without it, esbuild inlines them).
      splitting: true,
      outdir: join(directory, 'out'),
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const relative = (path) => path.slice(path.indexOf('out/'));
    return splitByLoad(
      // Chunks behind `import()` are entry points too, in esbuild's metafile: the app's entry is
      // the one built from its own file.
      Object.keys(outputs).filter((name) => outputs[name].entryPoint?.endsWith(basename(entry))),
      (name) =>
        outputs[name].imports
          .filter((item) => item.kind === 'import-statement' && !item.external)
          .map((item) => item.path),
      new Map(result.outputFiles.map((file) => [relative(file.path), file.text])),
    );
  },
};

/**
 * The code an app loads at start (its entry chunks and what they import statically, at any
 * depth) and the code it loads on demand (the chunks behind `import()`).
 */
function splitByLoad(entries, staticImports, codeOf) {
  const first = new Set();
  const pending = [...entries];
  while (pending.length > 0) {
    const name = pending.pop();
    if (first.has(name)) continue;
    first.add(name);
    pending.push(...staticImports(name));
  }
  return {
    first: [...first].map((name) => codeOf.get(name)),
    lazy: [...codeOf.keys()].filter((name) => !first.has(name)).map((name) => codeOf.get(name)),
  };
}

const isExternal = (id, names) => names.some((name) => id === name || id.startsWith(`${name}/`));
const isPeer = (id) => isExternal(id, peers);

export async function bundleSize({ log = () => {} } = {}) {
  for (const name of ['core', 'react']) {
    if (!existsSync(join(root, 'packages', name, 'dist', 'index.js'))) {
      throw new Error(`packages/${name} is not built: run \`pnpm build\` first.`);
    }
  }
  const rows = [];
  // A stand-in host app: the packages are installed (linked) into its node_modules, so the
  // bundlers resolve them through their package.json `exports` and honour `sideEffects`.
  const directory = mkdtempSync(join(tmpdir(), 'confab-size-'));
  try {
    mkdirSync(join(directory, 'node_modules', '@confab'), { recursive: true });
    symlinkSync(join(root, 'packages/core'), join(directory, 'node_modules/@confab/core'), 'dir');
    symlinkSync(join(root, 'packages/react'), join(directory, 'node_modules/@confab/react'), 'dir');
    writeFileSync(join(directory, 'package.json'), '{ "name": "host-app", "type": "module" }\n');
    for (const bundle of bundles) {
      const sizes = {};
      if (bundle.css) {
        // Whitespace and comments out, as a CSS minifier would do at the least.
        const output = readFileSync(bundle.css, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{}:;,>])\s*/g, '$1');
        sizes.css = measure([output]);
      } else {
        const entry = join(directory, 'entry.js');
        writeFileSync(entry, `${bundle.code}\n`);
        for (const [name, bundler] of Object.entries(bundlers)) {
          const { first, lazy } = await bundler(directory, entry, bundle.external ?? []);
          sizes[name] = { ...measure(first), lazy: measure(lazy).gzipped };
        }
      }
      const largest = Math.max(...Object.values(sizes).map((size) => size.gzipped));
      const row = {
        name: bundle.name,
        viteMinified: sizes.vite?.minified ?? sizes.css.minified,
        viteGzipped: sizes.vite?.gzipped ?? sizes.css.gzipped,
        esbuildMinified: sizes.esbuild?.minified,
        esbuildGzipped: sizes.esbuild?.gzipped,
        // Vite's: esbuild also emits the chunks of `import()`s in code it shakes out, which no app
        // ever loads.
        lazy: sizes.vite?.lazy,
        target: bundle.target,
        budget: bundle.budget,
        verdict:
          bundle.budget === undefined
            ? ''
            : largest > bundle.budget
              ? 'OVER BUDGET'
              : largest > bundle.target
                ? 'target not met'
                : 'ok',
      };
      log(
        `${bundle.name}: ${Object.entries(sizes)
          .map(([name, size]) => `${name} ${size.gzipped.toFixed(1)} KiB`)
          .join(', ')} min+gzip`,
      );
      rows.push(row);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const over = rows.filter((row) => row.verdict === 'OVER BUDGET');
  const short = rows.filter((row) => row.verdict === 'target not met');
  return {
    title: 'Bundle size: what the packages add to an app, without react, react-dom and react-query',
    description: [
      'Built ESM of the packages, installed into a stand-in app and bundled by Vite and by esbuild',
      '(minify on, production, code splitting), gzip level 9. The sizes are what loads at start (the',
      'entry chunk and its static imports); "on demand" is what Vite puts behind import(), loaded when',
      'used. Budgets (KiB, min+gzip) hold for the larger of the two bundlers.',
    ],
    columns: [
      { key: 'name', label: 'bundle', align: 'left' },
      { key: 'viteMinified', label: 'vite min', digits: 1, suffix: ' KiB' },
      { key: 'viteGzipped', label: 'vite min+gzip', digits: 1, suffix: ' KiB' },
      { key: 'esbuildMinified', label: 'esbuild min', digits: 1, suffix: ' KiB' },
      { key: 'esbuildGzipped', label: 'esbuild min+gzip', digits: 1, suffix: ' KiB' },
      { key: 'lazy', label: 'on demand, min+gzip', digits: 1, suffix: ' KiB' },
      { key: 'target', label: 'target', digits: 0, suffix: ' KiB' },
      { key: 'budget', label: 'budget', digits: 1, suffix: ' KiB' },
      { key: 'verdict', label: '', align: 'left' },
    ],
    rows,
    notes: [
      ...over.map(
        (row) =>
          `Over budget: ${row.name} is ${Math.max(row.viteGzipped, row.esbuildGzipped).toFixed(2)} ` +
          `KiB min+gzip, its budget ${row.budget} KiB.`,
      ),
      ...short.map(
        (row) =>
          `Target not met: ${row.name} is ${Math.max(row.viteGzipped, row.esbuildGzipped).toFixed(2)} ` +
          `KiB min+gzip, its target ${row.target} KiB.`,
      ),
    ],
    overBudget: over.length,
  };
}

/**
 * Minified and gzipped sizes of some files, gzipped together (as the issue's first measurements
 * were: a bundler's chunking changes the sum of files gzipped one by one by a few hundred bytes).
 */
function measure(files) {
  const output = files.join('\n');
  if (output.length === 0) return { minified: 0, gzipped: 0 };
  return {
    minified: Buffer.byteLength(output) / 1024,
    gzipped: gzipSync(output, { level: 9 }).length / 1024,
  };
}

// Run directly (`pnpm check:size`): print the table and fail when a budget is exceeded.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { printResult } = await import('./print-result.mjs');
  const result = await bundleSize();
  printResult(result);
  if (result.overBudget > 0) process.exitCode = 1;
}
