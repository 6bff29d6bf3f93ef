import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// Tests import the packages by name and run against their sources.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@confab\/core$/, replacement: path('./packages/core/src/index.ts') },
      { find: /^@confab\/react$/, replacement: path('./packages/react/src/index.ts') },
      { find: /^@confab\/server$/, replacement: path('./packages/server-adapters/src/index.ts') },
      {
        find: /^@confab\/server\/(.*)$/,
        replacement: path('./packages/server-adapters/src/$1.ts'),
      },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.test.tsx',
      'examples/*/src/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
