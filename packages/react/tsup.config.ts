import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// Importable one by one: an app ships only the languages it imports.
const locales = Object.fromEntries(
  ['en', 'fr', 'de', 'es', 'ja', 'zh-CN'].map((locale) => [
    `locales/${locale}`,
    `src/locales/${locale}.ts`,
  ]),
);

const shared: Options = {
  sourcemap: true,
  target: 'es2022',
  clean: false,
  external: ['react', 'react-dom', '@tanstack/react-query', '@confab/core'],
  // Every module is a client module (hooks, context); bundling drops per-file directives.
  banner: { js: "'use client';" },
};

export default defineConfig(() => {
  // Once, before the two builds below, which run at the same time and so cannot clean for each other.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      ...shared,
      // ESM keeps one file per module (code shared by several lands in chunks), so that an app's
      // bundler drops whole modules the app does not import, whatever they hold.
      entry: [
        'src/**/*.{ts,tsx}',
        '!src/**/*.test.{ts,tsx}',
        '!src/**/*.test-d.ts',
        '!src/**/*.stories.tsx',
        '!src/**/testing/**',
        '!src/**/{testing,ui-testing}.tsx',
      ],
      format: ['esm'],
      dts: { entry: { index: 'src/index.ts', ...locales } },
      onSuccess: 'node scripts/build-styles.mjs',
    },
    {
      ...shared,
      // CommonJS (require) has no tree-shaking to serve: one bundle per entry point.
      entry: { index: 'src/index.ts', ...locales },
      format: ['cjs'],
      dts: true,
    },
  ];
});
