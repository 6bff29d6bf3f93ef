import type { Message } from '@confab/core';
import type { ModelMessage } from '../models/chat-model';
import type { ChatScope, ChatStore } from '../store/chat-store';

export interface ModelContextOptions {
  /** How many of the branch's latest messages the model sees. */
  contextMessages: number;
  /** A system prompt put before the conversation. */
  system?: string;
}

/**
 * What the model sees to answer `question`: the branch that leads to it, walked up its parents
 * (never a range of the thread's newest messages, which would hold other versions of answers and
 * miss the question's own turns), cut to the latest `contextMessages`, with the system prompt
 * first.
 */
export async function modelContext(
  store: ChatStore,
  scope: ChatScope,
  question: Message,
  options: ModelContextOptions,
): Promise<ModelMessage[]> {
  const branch = await store.listMessages(scope, question.threadId, {
    limit: options.contextMessages,
    leafId: question.id,
  });
  return toModelMessages(branch?.items ?? [], options.system);
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
