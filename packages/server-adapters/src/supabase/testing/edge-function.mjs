// A Supabase Edge Function as an app writes one (supabase/functions/chat/index.ts), run by Deno
// against the built package. Everything else comes from the environment Supabase gives functions:
// SUPABASE_URL, SUPABASE_DB_URL, SUPABASE_JWT_SECRET, and CONFAB_ALLOWED_ORIGINS.
import { demoModel } from '../../../dist/index.js';
import { serveChat } from '../../../dist/supabase.js';

// Supabase picks the address and stops functions itself; here the test does: it reads the port
// from stdout and stops the server with SIGTERM.
const shutdown = new AbortController();
Deno.addSignalListener('SIGTERM', () => shutdown.abort());

serveChat({
  model: demoModel({ tokenDelayMs: 0 }),
  serve: {
    hostname: '127.0.0.1',
    port: 0,
    signal: shutdown.signal,
    onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
  },
});
