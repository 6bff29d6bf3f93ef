import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { confabSourceStyles } from './confab-source-styles.ts';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// The demo's host app. `vite build` writes web/dist, which the Express server serves beside the
// API; `vite` (dev) proxies /api to that server, started separately (`pnpm start`).
export default defineConfig({
  root: path('.'),
  plugins: [react(), confabSourceStyles(path('../../../packages/react'))],
  resolve: {
    // One React and one react-query for the app and @confab/react, whose workspace link has
    // its own node_modules.
    dedupe: ['react', 'react-dom', '@tanstack/react-query'],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': process.env.CONFAB_API_ORIGIN ?? `http://localhost:${process.env.PORT ?? 4321}`,
    },
  },
  build: {
    outDir: path('dist'),
    emptyOutDir: true,
    sourcemap: true,
  },
});
