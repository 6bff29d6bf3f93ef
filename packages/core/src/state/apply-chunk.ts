import type { PartChunk, StreamChunk } from '../schemas/chunk';
import type { Message } from '../schemas/message';
import type { Part } from '../schemas/part';

/**
 * Applies a part chunk to the parts of a streaming message, returning new parts when it changed
 * them (the parts given, and their parts, stay as they were). A start adds an empty part at the
 * index its id names (nothing when the parts already reach it: a resumed stream's snapshot had
 * it); a delta extends the part of that index when it is of the chunk's kind. Server and client
 * both build parts by these rules (see `growParts`), so they agree.
 */
export function applyPartChunk(parts: Part[], chunk: PartChunk): Part[] {
  const next = parts.slice();
  const index = Number(chunk.id);
  // The one part a delta may grow, copied first.
  if (next[index]) next[index] = { ...next[index] };
  return growParts(next, chunk) ? next : parts;
}

/**
 * `applyPartChunk` in place, for parts only the caller holds (a run growing its answer token by
 * token copies nothing): true when they changed.
 */
export function growParts(parts: Part[], chunk: PartChunk): boolean {
  const index = Number(chunk.id);
  switch (chunk.type) {
    case 'text-start':
    case 'reasoning-start':
      if (parts.length > index) return false;
      parts.push({ type: chunk.type === 'text-start' ? 'text' : 'reasoning', text: '' });
      return true;
    case 'text-delta':
    case 'reasoning-delta': {
      const part = parts[index];
      const type = chunk.type === 'text-delta' ? 'text' : 'reasoning';
      if (part === undefined || (part.type !== 'text' && part.type !== 'reasoning')) return false;
      if (part.type !== type) return false;
      part.text += chunk.delta;
      return true;
    }
    default:
      return false;
  }
}

/** Whether a chunk starts, extends or ends a streaming part. */
export function isPartChunk(chunk: StreamChunk): chunk is PartChunk {
  switch (chunk.type) {
    case 'text-start':
    case 'text-delta':
    case 'text-end':
    case 'reasoning-start':
    case 'reasoning-delta':
    case 'reasoning-end':
      return true;
    default:
      return false;
  }
}

/** The index of the thread's streaming message (part chunks extend it), or -1. */
export function streamingIndex(messages: Message[], messageId?: string): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (messageId === undefined ? message.status === 'streaming' : message.id === messageId) {
      return index;
    }
  }
  return -1;
}
