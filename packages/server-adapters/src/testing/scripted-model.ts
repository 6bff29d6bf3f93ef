import { ConfabError } from '@confab/core';
import type { ChatModel, ModelEvent, ModelRequest } from '../models/chat-model';

export interface ScriptedModelOptions {
  /** The pieces of every answer. */
  pieces?: string[];
  /** Milliseconds before each piece. */
  delayMs?: number;
  /** Throw this after `failAfter` pieces. */
  failWith?: ConfabError | Error;
  failAfter?: number;
}

/** A model for tests whose answers, pace and failures are set by the test. Records requests. */
export function scriptedModel(options: ScriptedModelOptions = {}) {
  const pieces = options.pieces ?? ['Hello', ', ', 'world', '!'];
  const requests: ModelRequest[] = [];
  const model: ChatModel & { requests: ModelRequest[] } = {
    requests,
    models: () => [
      { id: 'scripted', label: 'Scripted', provider: 'test', contextWindow: 1000 },
      { id: 'scripted-large', label: 'Scripted large', provider: 'test', contextWindow: 100_000 },
    ],
    async *stream(request): AsyncGenerator<ModelEvent> {
      requests.push(request);
      for (const [index, piece] of pieces.entries()) {
        if (options.failWith && index === (options.failAfter ?? 0)) throw options.failWith;
        if (options.delayMs) await abortableSleep(options.delayMs, request.signal);
        if (request.signal.aborted) return;
        yield { type: 'text-delta', delta: piece };
      }
      if (options.failWith && (options.failAfter ?? 0) >= pieces.length) throw options.failWith;
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 3, outputTokens: pieces.length },
      };
    },
  };
  return model;
}

export const upstreamFailure = new ConfabError('model_error', 'The model provider answered 500.');

function abortableSleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
