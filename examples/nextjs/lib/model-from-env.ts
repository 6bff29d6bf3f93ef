import { type ChatModel, demoModel, openAICompatibleModel } from '@confab/server';

/**
 * A real OpenAI-compatible model when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set (a local server
 * such as Ollama needs no key; `OPENAI_MODEL` picks the model), otherwise the offline demo model.
 * Read when a route first runs, not at build time. Edge-safe: the model speaks to its server with
 * `fetch`.
 */
export function modelFromEnv(env: Record<string, string | undefined> = process.env): ChatModel {
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    return openAICompatibleModel({
      apiKey: env.OPENAI_API_KEY || undefined,
      baseURL: env.OPENAI_BASE_URL || undefined,
      model: env.OPENAI_MODEL || 'gpt-4o-mini',
    });
  }
  const delay = Number(env.CONFAB_DEMO_TOKEN_DELAY_MS);
  return demoModel({
    tokenDelayMs: env.CONFAB_DEMO_TOKEN_DELAY_MS && delay >= 0 ? delay : undefined,
  });
}
