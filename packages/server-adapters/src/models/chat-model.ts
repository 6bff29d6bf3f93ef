import type { ModelInfo, Part, Usage } from '@confab/core';

export interface ModelMessage {
  role: 'system' | 'user' | 'assistant';
  parts: Part[];
}

export interface ModelRequest {
  /** One of the ids `models()` lists. */
  model: string;
  messages: ModelMessage[];
  /** Aborted when the user stops the answer or the server shuts down. */
  signal: AbortSignal;
}

export type ModelEvent =
  | { type: 'text-delta'; delta: string }
  | { type: 'reasoning-delta'; delta: string }
  | { type: 'finish'; finishReason: string | null; usage: Usage | null };

/**
 * A source of answers. `stream` yields deltas and ends with one `finish`; it throws a ConfabError
 * (`model_error`, `rate_limited`, `timeout`) when the provider fails, and stops promptly when the
 * signal aborts.
 */
export interface ChatModel {
  /** Models the user may pick, first is the default. */
  models(): ModelInfo[] | Promise<ModelInfo[]>;
  stream(request: ModelRequest): AsyncIterable<ModelEvent>;
}
