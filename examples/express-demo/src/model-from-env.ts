import { type ChatModel, demoModel, openAICompatibleModel } from '@confab/server';

/**
 * A real OpenAI-compatible model when `OPENAI_API_KEY` is set (`OPENAI_BASE_URL` and
 * `OPENAI_MODEL` pick the provider and model), otherwise the offline demo model.
 */
export function modelFromEnv(env: NodeJS.ProcessEnv = process.env): {
  model: ChatModel;
  name: string;
} {
  if (env.OPENAI_API_KEY) {
    const id = env.OPENAI_MODEL || 'gpt-4o-mini';
    const baseURL = env.OPENAI_BASE_URL || undefined;
    return {
      model: openAICompatibleModel({ apiKey: env.OPENAI_API_KEY, baseURL, model: id }),
      name: `${id} via ${baseURL ?? 'https://api.openai.com/v1'}`,
    };
  }
  const tokenDelayMs = env.CONFAB_DEMO_TOKEN_DELAY_MS
    ? Number(env.CONFAB_DEMO_TOKEN_DELAY_MS)
    : undefined;
  return { model: demoModel({ tokenDelayMs }), name: 'the offline demo model' };
}
