import { type ChatModel, demoModel, openAICompatibleModel } from '@confab/server';

/**
 * A real OpenAI-compatible model when `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set (a local
 * server such as Ollama needs no key; `OPENAI_MODEL` picks the model), otherwise the offline
 * demo model.
 */
export function modelFromEnv(env: NodeJS.ProcessEnv = process.env): {
  model: ChatModel;
  name: string;
} {
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) {
    const id = env.OPENAI_MODEL || 'gpt-4o-mini';
    const baseURL = env.OPENAI_BASE_URL || undefined;
    return {
      model: openAICompatibleModel({ apiKey: env.OPENAI_API_KEY || undefined, baseURL, model: id }),
      name: `${id} via ${baseURL ?? 'https://api.openai.com/v1'}`,
    };
  }
  const delay = Number(env.CONFAB_DEMO_TOKEN_DELAY_MS);
  const tokenDelayMs = Number.isFinite(delay) && delay >= 0 ? delay : undefined;
  return { model: demoModel({ tokenDelayMs }), name: 'the offline demo model' };
}
