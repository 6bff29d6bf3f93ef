import { fileURLToPath } from 'node:url';
import { defineMain } from '@storybook/react-vite/node';
import { msw } from 'msw/vite';
import { mergeConfig, type UserConfig } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineMain({
  framework: '@storybook/react-vite',
  stories: ['../packages/react/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  core: {
    // The machines that build and test this have no internet beyond the package registry.
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  async viteFinal(config) {
    const storybookOverrides: UserConfig = {
      resolve: {
        // Stories run against the packages' sources, like the unit tests: no build needed, and
        // the in-browser server is the real `@confab/server` handler.
        alias: [
          { find: /^@confab\/core$/, replacement: path('../packages/core/src/index.ts') },
          { find: /^@confab\/react$/, replacement: path('../packages/react/src/index.ts') },
          {
            find: /^@confab\/server$/,
            replacement: path('../packages/server-adapters/src/index.ts'),
          },
        ],
      },
      // Serves msw's service worker script (`/mockServiceWorker.js`) from the installed msw in
      // `storybook dev` and in the vitest browser run, and emits it into the static build. No
      // copy is committed, so the worker can never be of another version than the library.
      plugins: [msw({ mode: 'worker-only' })],
      build: {
        // The static Storybook is an app of its own; its chunk sizes are not the library's budget
        // (`pnpm bench` measures that).
        chunkSizeWarningLimit: 4096,
        rolldownOptions: {
          onwarn(warning, warn) {
            // The packages' `'use client'` directives mean nothing in a browser-only bundle.
            if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
          },
        },
      },
    };
    return mergeConfig(config, storybookOverrides);
  },
});
