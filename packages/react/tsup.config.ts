import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
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
