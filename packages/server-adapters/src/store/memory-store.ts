import {
  ConfabError,
  type Message,
  type MessagePage,
  MessageTree,
  type Thread,
} from '@confab/core';
import {
  type ChatScope,
  type ChatStore,
  EVENT_LOG_LENGTH,
  type LoggedChunk,
  type RunLease,
} from './chat-store';
import { decodeMessageCursor, decodeThreadCursor, encodeCursor } from './cursor';

interface ThreadRecord {
  thread: Thread;
  messages: Message[];
  events: LoggedChunk[];
  eventSeq: number;
  run: RunLease | null;
  /** Message ids are unique per thread, as in the SQL stores. */
  messageIds: Set<string>;
  /** Each caller's current leaf, by user id. */
  leaves: Map<string, string>;
}

/** A store that keeps everything in memory, for tests, stories and throwaway demos. */
export function memoryStore(): ChatStore {
  const threads = new Map<string, ThreadRecord>();
  let lastTime = 0;
  // Strictly increasing timestamps keep "most recently active" well defined within a millisecond.
  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return new Date(lastTime).toISOString();
  };

  function visible(scope: ChatScope, threadId: string): ThreadRecord | null {
    const record = threads.get(threadId);
    return record && record.thread.ownerId === scope.userId ? record : null;
  }

  const store: ChatStore = {
    async listThreads(scope, { limit, cursor, archived = false }) {
      const after = cursor ? decodeThreadCursor(cursor) : null;
      const sorted = [...threads.values()]
        .map((record) => record.thread)
        .filter((thread) => thread.ownerId === scope.userId && thread.archived === archived)
        .sort((a, b) => compareDesc(a.lastActivityAt, b.lastActivityAt) || compareDesc(a.id, b.id))
        .filter(
          (thread) =>
            !after ||
            thread.lastActivityAt < after.lastActivityAt ||
            (thread.lastActivityAt === after.lastActivityAt && thread.id < after.id),
        );
      const items = sorted.slice(0, limit);
      const last = items.at(-1);
      const nextCursor =
        sorted.length > limit && last ? encodeCursor([last.lastActivityAt, last.id]) : null;
      return { items: structuredClone(items), nextCursor };
    },
    async createThread(scope, input) {
      if (threads.has(input.id)) throw new ConfabError('conflict', 'The thread id is taken.');
      const time = now();
      const thread: Thread = {
        id: input.id,
        title: input.title,
        model: input.model,
        metadata: structuredClone(input.metadata),
        ownerId: scope.userId,
        archived: false,
        createdAt: time,
        updatedAt: time,
        lastActivityAt: time,
      };
      threads.set(input.id, {
        thread,
        messages: [],
        messageIds: new Set(),
        leaves: new Map(),
        events: [],
        eventSeq: 0,
        run: null,
      });
      return structuredClone(thread);
    },
    async getThread(scope, threadId) {
      const record = visible(scope, threadId);
      return record ? structuredClone(record.thread) : null;
    },
    async updateThread(scope, threadId, patch) {
      const record = visible(scope, threadId);
      if (!record) return null;
      const { title, model, metadata, archived } = patch;
      record.thread = {
        ...record.thread,
        ...defined({ title, model, metadata: structuredClone(metadata), archived }),
        updatedAt: now(),
      };
      return structuredClone(record.thread);
    },
    async deleteThread(scope, threadId) {
      const record = visible(scope, threadId);
      if (!record) return false;
      threads.delete(threadId);
      return true;
    },
    async listMessages(scope, threadId, { limit, before, leafId }) {
      const record = visible(scope, threadId);
      if (!record) return null;
      const tree = new MessageTree(record.messages);
      let leaf: Message | undefined;
      if (before !== undefined) {
        const parentId = tree.get(decodeMessageCursor(before))?.parentId;
        leaf = parentId ? tree.get(parentId) : undefined;
      } else if (leafId !== undefined) {
        leaf = tree.get(leafId);
      } else {
        const chosen = record.leaves.get(scope.userId);
        leaf = tree.leafOf(chosen !== undefined && tree.get(chosen) ? chosen : undefined);
      }
      const branch = leaf ? tree.branch(leaf.id) : [];
      const items = branch.slice(Math.max(0, branch.length - limit));
      const first = items[0];
      const nextCursor = branch.length > limit && first ? encodeCursor([first.id]) : null;
      const versions: MessagePage['versions'] = {};
      for (const message of items) {
        const siblings = tree.versions(message.id);
        if (siblings.length > 1) versions[message.id] = siblings.map((sibling) => sibling.id);
      }
      return { items: structuredClone(items), nextCursor, versions };
    },
    async scanMessages(scope, threadId, { afterSequence = -1, limit }) {
      const record = visible(scope, threadId);
      if (!record) return null;
      const after = record.messages.filter((message) => message.sequence > afterSequence);
      return structuredClone(after.slice(0, limit));
    },
    async getMessage(scope, threadId, messageId) {
      const message = visible(scope, threadId)?.messages.find((item) => item.id === messageId);
      return message ? structuredClone(message) : null;
    },
    async listChildren(scope, threadId, parentId) {
      const record = visible(scope, threadId);
      return structuredClone(record?.messages.filter((item) => item.parentId === parentId) ?? []);
    },
    async setLeaf(scope, threadId, messageId) {
      const record = visible(scope, threadId);
      if (!record?.messageIds.has(messageId)) return false;
      record.leaves.set(scope.userId, messageId);
      return true;
    },
    async deleteMessage(scope, threadId, messageId) {
      const record = visible(scope, threadId);
      if (!record) return 0;
      const tree = new MessageTree(record.messages);
      const removed = new Set(tree.subtree(messageId).map((message) => message.id));
      if (removed.size === 0) return 0;
      record.messages = record.messages.filter((message) => !removed.has(message.id));
      for (const id of removed) record.messageIds.delete(id);
      const parentId = tree.get(messageId)!.parentId;
      for (const [userId, leafId] of record.leaves) {
        if (!removed.has(leafId)) continue;
        if (parentId === null) record.leaves.delete(userId);
        else record.leaves.set(userId, parentId);
      }
      return removed.size;
    },
    async forkThread(scope, threadId, messageId, input) {
      const source = visible(scope, threadId);
      if (!source) return null;
      const branch = new MessageTree(source.messages).branch(messageId);
      if (branch.length === 0) return null;
      const thread = await store.createThread(scope, input);
      const record = threads.get(thread.id)!;
      const time = record.thread.createdAt;
      record.messages = branch.map((message, sequence) => ({
        ...structuredClone(message),
        threadId: thread.id,
        sequence,
        status: isOpen(message) ? 'cancelled' : message.status,
        createdAt: time,
        updatedAt: time,
      }));
      for (const message of record.messages) record.messageIds.add(message.id);
      return structuredClone(record.thread);
    },
    async appendMessage(scope, threadId, input) {
      const record = visible(scope, threadId);
      if (!record) throw new ConfabError('not_found', 'Thread not found.');
      if (record.messageIds.has(input.id))
        throw new ConfabError('conflict', 'The message id is taken.');
      const time = now();
      const message: Message = {
        id: input.id,
        parentId: input.parentId,
        role: input.role,
        authorId: input.authorId,
        parts: structuredClone(input.parts),
        status: input.status,
        model: input.model,
        metadata: structuredClone(input.metadata),
        threadId,
        usage: null,
        error: null,
        sequence: (record.messages.at(-1)?.sequence ?? -1) + 1,
        createdAt: time,
        updatedAt: time,
      };
      record.messages.push(message);
      record.messageIds.add(message.id);
      record.thread = { ...record.thread, updatedAt: time, lastActivityAt: time };
      return structuredClone(message);
    },
    async updateMessage(scope, threadId, messageId, patch) {
      const record = visible(scope, threadId);
      const index = record?.messages.findIndex((item) => item.id === messageId) ?? -1;
      if (!record || index < 0) return null;
      const { parts, status, model, usage, error } = structuredClone(patch);
      const message = {
        ...record.messages[index]!,
        ...defined({ parts, status, model, usage, error }),
        updatedAt: now(),
      };
      record.messages[index] = message;
      return structuredClone(message);
    },
    async appendEvents(scope, threadId, chunks) {
      const record = visible(scope, threadId);
      if (!record) throw new ConfabError('not_found', 'Thread not found.');
      const seqs = chunks.map((chunk) => {
        record.eventSeq += 1;
        record.events.push({ seq: record.eventSeq, chunk: structuredClone(chunk) });
        return record.eventSeq;
      });
      if (record.events.length > EVENT_LOG_LENGTH) {
        record.events.splice(0, record.events.length - EVENT_LOG_LENGTH);
      }
      return seqs;
    },
    async listEvents(scope, threadId, { after, limit }) {
      const record = visible(scope, threadId);
      if (!record) return null;
      const items = record.events.filter((event) => event.seq > after).slice(0, limit);
      const firstSeq = items[0]?.seq ?? record.eventSeq + 1;
      return {
        items: structuredClone(items),
        truncated: after < record.eventSeq && firstSeq > after + 1,
        lastSeq: record.eventSeq,
      };
    },
    async acquireRun(scope, threadId, lease, time) {
      const record = visible(scope, threadId);
      if (!record || (record.run && record.run.expiresAt >= time)) return false;
      record.run = { ...lease, stopRequested: false };
      return true;
    },
    async renewRun(scope, threadId, messageId, expiresAt) {
      const run = visible(scope, threadId)?.run;
      if (!run || run.messageId !== messageId) return null;
      run.expiresAt = expiresAt;
      return { ...run };
    },
    async saveRunProgress(scope, threadId, messageId, { parts, leaseExpiresAt }) {
      const record = visible(scope, threadId);
      if (parts !== undefined && record) {
        const index = record.messages.findIndex((item) => item.id === messageId);
        if (index >= 0) {
          record.messages[index] = {
            ...record.messages[index]!,
            parts: structuredClone(parts),
            updatedAt: now(),
          };
        }
      }
      if (leaseExpiresAt === undefined) return undefined;
      const run = record?.run;
      if (!run || run.messageId !== messageId) return null;
      run.expiresAt = leaseExpiresAt;
      return { ...run };
    },
    async releaseRun(scope, threadId, messageId) {
      const record = visible(scope, threadId);
      if (record?.run?.messageId === messageId) record.run = null;
    },
    async getRun(scope, threadId) {
      const run = visible(scope, threadId)?.run;
      return run ? { ...run } : null;
    },
    async requestStop(scope, threadId, messageId) {
      const run = visible(scope, threadId)?.run;
      if (!run || (messageId !== undefined && run.messageId !== messageId)) return null;
      run.stopRequested = true;
      return { ...run };
    },
    async close() {},
  };
  return store;
}

/** An answer that was still being written: its copy will never be finished. */
function isOpen(message: Message): boolean {
  return message.status === 'streaming' || message.status === 'pending';
}

/** The fields of a patch that are set; `undefined` means "leave unchanged". */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
