import { ConfabError, type Thread, type ThreadExport } from '@confab/core';
import type { ChatScope, ChatStore } from './chat-store';

/**
 * Stores an exported thread (`GET /threads/:id/export`, JSON) as a new thread of the caller's:
 * every message and version, with their ids and parents, in their order. The caller becomes the
 * author of its questions; answers left open in the export are cancelled. Rejects with
 * `invalid_request` (and the path of the message at fault) when a message answers one that
 * comes later or is missing, or when an id repeats, before anything is stored.
 */
export async function importThread(
  store: ChatStore,
  scope: ChatScope,
  data: ThreadExport,
  threadId: string = crypto.randomUUID(),
): Promise<Thread> {
  const order = data.messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.sequence - b.message.sequence);
  const seen = new Set<string>();
  for (const { message, index } of order) {
    if (seen.has(message.id)) {
      throw invalidAt(index, 'id', 'Another message of the thread has this id.');
    }
    if (message.parentId !== null && !seen.has(message.parentId)) {
      throw invalidAt(index, 'parentId', 'The parent must be an earlier message of the thread.');
    }
    seen.add(message.id);
  }
  const thread = await store.createThread(scope, {
    id: threadId,
    title: data.thread.title,
    model: data.thread.model,
    metadata: data.thread.metadata,
  });
  for (const { message } of order) {
    const open = message.status === 'streaming' || message.status === 'pending';
    await store.appendMessage(scope, thread.id, {
      id: message.id,
      parentId: message.parentId,
      role: message.role,
      authorId: message.role === 'user' ? scope.userId : null,
      parts: message.parts,
      status: open ? 'cancelled' : message.status,
      model: message.model,
      metadata: message.metadata,
    });
    if (message.usage) {
      await store.updateMessage(scope, thread.id, message.id, { usage: message.usage });
    }
  }
  return (await store.getThread(scope, thread.id)) ?? thread;
}

function invalidAt(index: number, field: string, message: string): ConfabError {
  return new ConfabError('invalid_request', message, {
    issues: [{ path: ['messages', index, field], message }],
  });
}
