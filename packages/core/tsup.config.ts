import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const shared: Options = { sourcemap: true, target: 'es2022', clean: false };

export default defineConfig(() => {
  // Once, before the two builds below, which run at the same time and so cannot clean for each other.
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      ...shared,
      // ESM keeps one file per module (code shared by several lands in chunks), so that an app's
      // bundler drops whole modules the app does not import, whatever they hold.
      entry: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
      format: ['esm'],
      dts: { entry: ['src/index.ts', 'src/ai-sdk/index.ts'] },
    },
    {
      ...shared,
      // CommonJS (require) has no tree-shaking to serve: one bundle.
      entry: ['src/index.ts', 'src/ai-sdk/index.ts'],
      format: ['cjs'],
      dts: true,
    },
  ];
});
