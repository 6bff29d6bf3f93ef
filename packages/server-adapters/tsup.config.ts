import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      sqlite: 'src/sqlite.ts',
      postgres: 'src/postgres.ts',
      redis: 'src/redis.ts',
      node: 'src/node.ts',
      express: 'src/express.ts',
      next: 'src/next.ts',
      supabase: 'src/supabase.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Not `clean`: both builds write to dist at once. The build script empties it first.
    clean: false,
    target: 'es2022',
    external: ['node:sqlite'],
  },
  {
    // `npx confab migrate`: ESM only, run by Node through bin/confab.js.
    entry: { cli: 'src/cli/confab.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    external: ['node:sqlite'],
  },
]);
