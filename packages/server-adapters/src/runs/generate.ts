import {
  appendDelta,
  type ErrorDetail,
  type Message,
  type MessageStatus,
  type Part,
  toConfabError,
  type Usage,
} from '@confab/core';
import type { ChatModel, ModelMessage } from '../models/chat-model';
import type { ChatScope, ChatStore, MessagePatch } from '../store/chat-store';
import type { Run } from './run';

export interface GenerateOptions {
  store: ChatStore;
  scope: ChatScope;
  model: ChatModel;
  modelId: string;
  history: ModelMessage[];
  /** Longest time between two writes of the partial answer. */
  flushIntervalMs: number;
  onError: (error: unknown) => void;
}

/**
 * Streams the model's answer into the run and the store: the partial answer is written at least
 * every `flushIntervalMs`, and the final one with its status, usage and error. Never throws.
 */
export async function generate(run: Run, options: GenerateOptions): Promise<void> {
  const { store, scope, model, modelId } = options;
  const { threadId, assistantId } = run;
  let parts: Part[] = [];
  let usage: Usage | null = null;
  let status: MessageStatus = 'complete';
  let error: ErrorDetail | null = null;

  // One write in flight at a time; the latest parts win.
  let writing: Promise<unknown> = Promise.resolve();
  let lastWrite = Date.now();
  let pending = false;
  const write = (patch: MessagePatch) => {
    lastWrite = Date.now();
    writing = writing
      .then(() => store.updateMessage(scope, threadId, assistantId, patch))
      .catch(options.onError);
    return writing;
  };
  const heartbeat = setInterval(() => {
    if (Date.now() - lastWrite >= options.flushIntervalMs && !pending) {
      pending = true;
      write({ parts }).finally(() => {
        pending = false;
      });
    }
  }, options.flushIntervalMs);

  try {
    for await (const event of model.stream({
      model: modelId,
      messages: options.history,
      signal: run.controller.signal,
    })) {
      if (run.controller.signal.aborted) break;
      if (event.type === 'finish') {
        usage = event.usage;
        continue;
      }
      const type = event.type === 'text-delta' ? 'text' : 'reasoning';
      parts = appendDelta(parts, type, event.delta);
      run.emit({ type: event.type, messageId: assistantId, delta: event.delta });
      if (Date.now() - lastWrite >= options.flushIntervalMs) write({ parts });
    }
    if (run.controller.signal.aborted) status = 'cancelled';
  } catch (cause) {
    if (run.controller.signal.aborted) {
      status = 'cancelled';
    } else {
      const failure = toConfabError(cause, 'model_error');
      if (failure.code === 'internal_error') options.onError(cause);
      status = 'failed';
      error = {
        code: failure.code,
        message: failure.message,
        ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
      };
      run.emit({ type: 'error', error, messageId: assistantId });
    }
  } finally {
    clearInterval(heartbeat);
  }

  let answer: Message | null = null;
  try {
    await writing;
    answer = await store.updateMessage(scope, threadId, assistantId, {
      parts,
      status,
      usage,
      error,
      model: modelId,
    });
    if (answer) run.emit({ type: 'message-end', message: answer });
    const thread = await store.getThread(scope, threadId);
    if (thread) run.emit({ type: 'thread-updated', thread });
  } catch (cause) {
    options.onError(cause);
    const failure = toConfabError(cause);
    run.emit({
      type: 'error',
      error: { code: failure.code, message: 'The answer could not be stored.' },
    });
  } finally {
    run.finish(answer);
  }
}

/** The stored messages a model sees: finished turns, in order, without failed or empty ones. */
export function toModelMessages(messages: Message[], system?: string): ModelMessage[] {
  const history: ModelMessage[] = system
    ? [{ role: 'system', parts: [{ type: 'text', text: system }] }]
    : [];
  for (const message of messages) {
    if (message.status === 'failed' || message.status === 'pending') continue;
    if (message.status === 'streaming') continue;
    const parts = message.parts.filter((part) => part.type !== 'reasoning');
    if (parts.length === 0) continue;
    history.push({ role: message.role, parts });
  }
  return history;
}
