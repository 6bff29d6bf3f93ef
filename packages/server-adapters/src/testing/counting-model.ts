import { messageText } from '@confab/core';
import type { ChatModel, ModelEvent } from '../models/chat-model';

/**
 * A model that answers "<n>: <the question>", counting its answers, so every version differs;
 * `seen` keeps the text of the messages each answer was given.
 */
export function countingModel() {
  let answers = 0;
  const seen: string[][] = [];
  const model: ChatModel & { seen: string[][] } = {
    seen,
    models: () => [{ id: 'counting', label: 'Counting', provider: 'test', contextWindow: null }],
    async *stream(request): AsyncGenerator<ModelEvent> {
      seen.push(request.messages.map((message) => messageText(message)));
      const question = request.messages.at(-1)!;
      yield { type: 'text-delta', delta: `${++answers}: ${messageText(question)}` };
      yield { type: 'finish', finishReason: 'stop', usage: null };
    },
  };
  return model;
}
