import type { StreamChunk } from '../schemas/chunk';
import type { Message } from '../schemas/message';
import type { Part } from '../schemas/part';

/**
 * Appends streamed text to a message's parts: to the last part when it is of the same kind,
 * otherwise as a new part. Server and client both build parts with it, so they agree.
 */
export function appendDelta(parts: Part[], type: 'text' | 'reasoning', delta: string): Part[] {
  const last = parts[parts.length - 1];
  if (last && last.type === type) {
    const next = parts.slice();
    next[next.length - 1] = { type, text: last.text + delta };
    return next;
  }
  return [...parts, { type, text: delta }];
}

/**
 * Replaces the message with the same id, or inserts it in sequence order. A replacement whose
 * sequence changed (an optimistic message the server numbered) moves to its place.
 */
export function upsertMessage(messages: Message[], message: Message): Message[] {
  for (let index = messages.length - 1; index >= 0; index--) {
    const current = messages[index]!;
    if (current.id !== message.id) continue;
    const next = messages.slice();
    if (current.sequence === message.sequence) {
      next[index] = message;
      return next;
    }
    next.splice(index, 1);
    return insertInOrder(next, message);
  }
  return insertInOrder(messages.slice(), message);
}

function insertInOrder(next: Message[], message: Message): Message[] {
  let at = next.length;
  while (at > 0 && next[at - 1]!.sequence > message.sequence) at--;
  next.splice(at, 0, message);
  return next;
}

/** Applies one stream chunk to a thread's ordered messages, returning a new array if it changed. */
export function applyChunk(messages: Message[], chunk: StreamChunk): Message[] {
  switch (chunk.type) {
    case 'message-created':
    case 'message-start':
    case 'message-end':
      return upsertMessage(messages, chunk.message);
    case 'text-delta':
    case 'reasoning-delta': {
      const type = chunk.type === 'text-delta' ? 'text' : 'reasoning';
      for (let index = messages.length - 1; index >= 0; index--) {
        const message = messages[index]!;
        if (message.id !== chunk.messageId) continue;
        const next = messages.slice();
        next[index] = { ...message, parts: appendDelta(message.parts, type, chunk.delta) };
        return next;
      }
      return messages;
    }
    default:
      return messages;
  }
}
