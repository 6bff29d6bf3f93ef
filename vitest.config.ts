import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// React 18 and the React-bound libraries as tests/react-18 installs them (their own React peer
// resolves to React 18 there), so @confab/react's DOM tests also run under React 18.
const react18 = (name: string) => path(`./tests/react-18/node_modules/${name}`);
const react18Aliases = Object.entries({
  'react-dom/client': 'react-dom/client.js',
  'react-dom/server': 'react-dom/server.node.js',
  'react-dom': 'react-dom/index.js',
  'react/jsx-runtime': 'react/jsx-runtime.js',
  'react/jsx-dev-runtime': 'react/jsx-dev-runtime.js',
  react: 'react/index.js',
  '@tanstack/react-query': '@tanstack/react-query',
  '@tanstack/react-virtual': '@tanstack/react-virtual',
}).map(([name, target]) => ({
  find: new RegExp(`^${name.replaceAll('/', '\\/')}$`),
  replacement: react18(target),
}));

export default defineConfig({
  // Tests import the packages by name and run against their sources.
  resolve: {
    alias: [
      { find: /^@confab\/core$/, replacement: path('./packages/core/src/index.ts') },
      { find: /^@confab\/core\/ai-sdk$/, replacement: path('./packages/core/src/ai-sdk/index.ts') },
      { find: /^@confab\/react$/, replacement: path('./packages/react/src/index.ts') },
      { find: /^@confab\/server$/, replacement: path('./packages/server-adapters/src/index.ts') },
      {
        find: /^@confab\/server\/(.*)$/,
        replacement: path('./packages/server-adapters/src/$1.ts'),
      },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
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
      },
      {
        resolve: {
          alias: [
            ...react18Aliases,
            { find: /^@confab\/core$/, replacement: path('./packages/core/src/index.ts') },
            { find: /^@confab\/react$/, replacement: path('./packages/react/src/index.ts') },
            {
              find: /^@confab\/core\/ai-sdk$/,
              replacement: path('./packages/core/src/ai-sdk/index.ts'),
            },
            // The DOM tests' backend: the real handler, in-process (inProcessBackend).
            {
              find: /^@confab\/server$/,
              replacement: path('./packages/server-adapters/src/index.ts'),
            },
          ],
        },
        test: {
          name: 'react-18',
          include: ['packages/react/src/**/*.ui.test.tsx'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 20_000,
          // Dependencies that import React are bundled with the aliases above, not loaded by
          // Node from their own folders (which would find React 19).
          server: { deps: { inline: [/@tanstack/] } },
        },
      },
      {
        extends: true,
        // Every story of .storybook/main.ts becomes a test: it renders, runs its play function,
        // then axe (addon-a11y), in headless Chromium with the in-browser chat server.
        plugins: [storybookTest({ configDir: path('./.storybook') })],
        test: {
          name: 'storybook',
          // Without Chromium the run fails, so story tests are never silently skipped.
          globalSetup: [path('./.storybook/require-chromium.ts')],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
