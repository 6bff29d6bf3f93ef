import { ConfabError } from '@confab/core';
import { type ChatModel, demoModel, type ModelEvent, type ModelRequest } from '@confab/server';
import type { StoryModelOptions } from './scenario';

/** Fast enough that a play function waits about a second, slow enough to see the text stream. */
const DEFAULT_TOKEN_DELAY_MS = 8;
const DEFAULT_FAIL_AFTER_TOKENS = 12;

export interface StoryModel extends ChatModel {
  /** Makes every later answer fail partway (`model_error`), or stops doing so. */
  setFailing(failing: boolean): void;
}

/**
 * The demo model, shaped by a story: its pace, a fixed reply, an answer that stays open, a
 * provider failure partway through, another list of models. Failures are thrown the way a real
 * provider adapter throws them, so the handler stores and streams them as it would in production.
 */
export function storyModel(options: StoryModelOptions = {}, failing = false): StoryModel {
  const tokenDelayMs = options.tokenDelayMs ?? DEFAULT_TOKEN_DELAY_MS;
  const { reply } = options;
  const demo = demoModel({ tokenDelayMs, ...(reply === undefined ? {} : { reply: () => reply }) });
  let failsNow = failing;
  return {
    setFailing(next) {
      failsNow = next;
    },
    models: () => options.models ?? demo.models(),
    async *stream(request) {
      const source = demo.stream(request);
      const failAfter = failsNow ? (options.failAfterTokens ?? DEFAULT_FAIL_AFTER_TOKENS) : null;
      yield* shape(source, request, { failAfter, stallAfter: options.stallAfterTokens ?? null });
    },
  };
}

/** Passes the events through, failing or stalling after a number of text tokens. */
async function* shape(
  source: AsyncIterable<ModelEvent>,
  request: ModelRequest,
  limits: { failAfter: number | null; stallAfter: number | null },
): AsyncGenerator<ModelEvent> {
  let tokens = 0;
  for await (const event of source) {
    if (event.type === 'text-delta') {
      if (limits.failAfter !== null && tokens >= limits.failAfter) {
        throw new ConfabError('model_error', 'The model provider failed: it answered 502.');
      }
      if (limits.stallAfter !== null && tokens >= limits.stallAfter) {
        await aborted(request.signal);
        return;
      }
      tokens++;
    }
    yield event;
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
