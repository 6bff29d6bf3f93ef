// The chat API as a Supabase Edge Function: `supabase functions deploy chat`.
//
// Every request is verified with Supabase Auth (supabaseAuth: the project's JWKS, or the legacy
// JWT secret when SUPABASE_JWT_SECRET is set) and every query runs as the signed-in user, so the
// row-level security policies of the migration decide what the user sees (supabaseStore on
// SUPABASE_DB_URL, which Supabase gives every function). The model is the offline demo unless
// OPENAI_API_KEY is set.
import { type ChatModel, demoModel, openAICompatibleModel } from '@confab/server';
import { serveChat } from '@confab/server/supabase';

const apiKey = Deno.env.get('OPENAI_API_KEY');
const model: ChatModel = apiKey
  ? openAICompatibleModel({
      apiKey,
      baseURL: Deno.env.get('OPENAI_BASE_URL') ?? 'https://api.openai.com/v1',
      model: Deno.env.get('OPENAI_MODEL') ?? 'gpt-4o-mini',
    })
  : demoModel();

// Supabase picks the port. Running the function on its own (`deno run`, the example's test),
// CONFAB_FUNCTION_PORT chooses one on loopback (0: any free port).
const port = Deno.env.get('CONFAB_FUNCTION_PORT');

serveChat({
  model,
  system: 'You are a helpful assistant inside a Confab example app.',
  ...(port !== undefined ? { serve: { port: Number(port), hostname: '127.0.0.1' } } : {}),
});
