import type { ChatModel, ModelEvent } from '../models/chat-model';

/**
 * A model that streams its first delta, then waits for `release()` before the rest: a test can
 * see that a chunk reached the client while the model was still working.
 */
export function gatedModel(): { model: ChatModel; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const model: ChatModel = {
    models: () => [{ id: 'gated', label: 'Gated', provider: 'test', contextWindow: null }],
    async *stream(): AsyncGenerator<ModelEvent> {
      yield { type: 'text-delta', delta: 'first' };
      await gate;
      yield { type: 'text-delta', delta: ' second' };
      yield { type: 'finish', finishReason: 'stop', usage: null };
    },
  };
  return { model, release };
}
