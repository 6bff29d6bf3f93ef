import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // Importable one by one: an app ships only the languages it imports.
    ...Object.fromEntries(
      ['en', 'fr', 'de', 'es', 'ja', 'zh-CN'].map((locale) => [
        `locales/${locale}`,
        `src/locales/${locale}.ts`,
      ]),
    ),
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['react', 'react-dom', '@tanstack/react-query', '@confab/core'],
  // Every export is a client module (hooks, context); bundling drops per-file directives.
  banner: { js: "'use client';" },
  onSuccess: 'node scripts/build-styles.mjs',
});
