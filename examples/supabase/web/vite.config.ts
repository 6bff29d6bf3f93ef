import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

// A static page: `vite build web` writes web/dist, which any static host (or Supabase Storage)
// can serve. It talks to Supabase Auth and to the `chat` Edge Function directly.
export default defineConfig({
  root: path('.'),
  envDir: path('.'),
  plugins: [react()],
  resolve: {
    // One React and one react-query for the page and @confab/react's workspace link.
    dedupe: ['react', 'react-dom', '@tanstack/react-query'],
  },
  server: { port: 5174 },
  build: { outDir: path('dist'), emptyOutDir: true, sourcemap: true },
});
