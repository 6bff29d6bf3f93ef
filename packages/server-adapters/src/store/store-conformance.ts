import {
  ConfabError,
  type ErrorCode,
  type Message,
  MessageTree,
  messageSchema,
  type Part,
  type Thread,
  threadSchema,
} from '@confab/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatScope,
  type ChatStore,
  EVENT_LOG_LENGTH,
  type NewMessage,
  type NewThread,
} from './chat-store';
import { encodeCursor } from './cursor';
import { describeRequestsOverStore } from './store-conformance-requests';

export interface ChatStoreConformanceOptions {
  /**
   * Runs after each test instead of `store.close()`. A store over a shared database can keep its
   * connection open here and close it once, after the whole file.
   */
  cleanup?: (store: ChatStore) => Promise<void>;
  /**
   * Makes a new caller for a test. Default: a random user id without claims. A store whose users
   * must exist in the database (Supabase's `auth.users`) and carry claims creates them here.
   */
  user?: () => Promise<ChatScope>;
}

/**
 * The behaviour every ChatStore must have. Registers a `describe` block; call it from a store's
 * test file with a factory for a fresh store. Each test makes its own users and ids, so the
 * tests are independent even when every store shares one database.
 */
export function describeChatStore(
  name: string,
  createStore: () => Promise<ChatStore>,
  options: ChatStoreConformanceOptions = {},
): void {
  describe(`ChatStore conformance: ${name}`, () => {
    let store: ChatStore;
    const user = options.user ?? (async () => anonymousUser());

    beforeEach(async () => {
      store = await createStore();
    });

    afterEach(async () => {
      if (options.cleanup) await options.cleanup(store);
      else await store.close();
    });

    describe('threads', () => {
      it('creates a thread owned by the caller, not archived, with timestamps', async () => {
        const alice = await user();
        const input = newThread({ title: 'Trip to Lisbon', model: 'demo', metadata: { a: 1 } });
        const before = Date.now();
        const thread = await store.createThread(alice, input);

        expect(threadSchema.parse(thread)).toEqual(thread);
        expect(thread).toMatchObject({
          id: input.id,
          ownerId: alice.userId,
          title: 'Trip to Lisbon',
          model: 'demo',
          metadata: { a: 1 },
          archived: false,
        });
        expect(Date.parse(thread.createdAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(thread.updatedAt).toBe(thread.createdAt);
        expect(thread.lastActivityAt).toBe(thread.createdAt);
        expect(await store.getThread(alice, input.id)).toEqual(thread);
      });

      it('keeps a null title and model', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread({ title: null, model: null }));
        expect(thread.title).toBeNull();
        expect(thread.model).toBeNull();
        expect(await store.getThread(alice, thread.id)).toMatchObject({ title: null, model: null });
      });

      // Thread ids are global, so a taken one is refused whoever holds it, and with the same
      // answer either way: the refusal says that the id is in use, never whose thread it is or
      // what it holds. Ids are not secrets; what a thread holds stays behind 404.
      it('rejects a taken thread id with conflict, even when another user holds it', async () => {
        const alice = await user();
        const bob = await user();
        const input = newThread({ title: 'Alice first' });
        const original = await store.createThread(alice, input);

        await expectError(store.createThread(alice, newThread({ id: input.id })), 'conflict');
        await expectError(
          store.createThread(bob, newThread({ id: input.id, title: 'Bob second' })),
          'conflict',
        );
        expect(await store.getThread(alice, input.id)).toEqual(original);
        expect(await store.getThread(bob, input.id)).toBeNull();
        expect((await store.listThreads(bob, { limit: 10 })).items).toEqual([]);
      });

      it('lets exactly one of several concurrent creations with one id succeed', async () => {
        const alice = await user();
        const id = uniqueId('thread');
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, index) =>
            store.createThread(alice, newThread({ id, title: `attempt ${index}` })),
          ),
        );
        const created = results.filter((result) => result.status === 'fulfilled');
        const rejected = results.filter((result) => result.status === 'rejected');
        expect(created).toHaveLength(1);
        expect(rejected).toHaveLength(4);
        for (const result of rejected) expectConfabError(result.reason, 'conflict');
        expect((await store.listThreads(alice, { limit: 10 })).items).toHaveLength(1);
      });

      it('returns null for an unknown thread', async () => {
        expect(await store.getThread(await user(), uniqueId('missing'))).toBeNull();
      });

      it('updates title, model, metadata and archived, leaving undefined fields unchanged', async () => {
        const alice = await user();
        const created = await store.createThread(
          alice,
          newThread({ title: 'Draft', model: 'demo', metadata: { color: 'blue' } }),
        );

        const renamed = await store.updateThread(alice, created.id, {
          title: 'Final',
          model: undefined,
        });
        expect(renamed).toEqual({
          ...created,
          title: 'Final',
          updatedAt: renamed?.updatedAt,
        });
        expect(Date.parse(renamed!.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
        expect(threadSchema.parse(renamed)).toEqual(renamed);

        const remodelled = await store.updateThread(alice, created.id, { model: 'gpt-x' });
        expect(remodelled).toMatchObject({
          title: 'Final',
          model: 'gpt-x',
          metadata: { color: 'blue' },
        });
        expect(Date.parse(remodelled!.updatedAt)).toBeGreaterThan(Date.parse(renamed!.updatedAt));

        const tagged = await store.updateThread(alice, created.id, {
          metadata: { color: 'red', tags: ['a', 'b'] },
        });
        expect(tagged).toMatchObject({
          title: 'Final',
          model: 'gpt-x',
          metadata: { color: 'red', tags: ['a', 'b'] },
          archived: false,
        });

        const archived = await store.updateThread(alice, created.id, { archived: true });
        expect(archived).toMatchObject({ title: 'Final', model: 'gpt-x', archived: true });

        const cleared = await store.updateThread(alice, created.id, {
          title: null,
          model: null,
          metadata: {},
          archived: false,
        });
        expect(cleared).toMatchObject({ title: null, model: null, metadata: {}, archived: false });

        const stored = await store.getThread(alice, created.id);
        expect(stored).toEqual(cleared);
        expect(stored).toMatchObject({
          id: created.id,
          ownerId: alice.userId,
          createdAt: created.createdAt,
          lastActivityAt: created.lastActivityAt,
        });
      });

      it('an empty patch changes nothing but updatedAt', async () => {
        const alice = await user();
        const created = await store.createThread(alice, newThread({ title: 'Same' }));
        const updated = await store.updateThread(alice, created.id, {});
        expect(updated).toEqual({ ...created, updatedAt: updated?.updatedAt });
      });

      it('returns null when updating an unknown thread', async () => {
        expect(
          await store.updateThread(await user(), uniqueId('missing'), { title: 'x' }),
        ).toBeNull();
      });

      it('deletes a thread and its messages: true once, then false', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const question = await store.appendMessage(alice, thread.id, newMessage());
        await store.appendMessage(alice, thread.id, newMessage({ parentId: question.id }));
        const kept = await store.createThread(alice, newThread());
        const keptMessage = await store.appendMessage(alice, kept.id, newMessage());

        expect(await store.deleteThread(alice, thread.id)).toBe(true);
        expect(await store.deleteThread(alice, thread.id)).toBe(false);

        expect(await store.getThread(alice, thread.id)).toBeNull();
        expect(await store.getMessage(alice, thread.id, question.id)).toBeNull();
        expect(await store.listMessages(alice, thread.id, { limit: 10 })).toBeNull();
        expect(await store.listChildren(alice, thread.id, question.id)).toEqual([]);
        expect(
          await store.updateMessage(alice, thread.id, question.id, { status: 'failed' }),
        ).toBeNull();
        await expectError(store.appendMessage(alice, thread.id, newMessage()), 'not_found');
        expect(
          (await store.listThreads(alice, { limit: 10 })).items.map((item) => item.id),
        ).toEqual([kept.id]);

        // The user's other thread is untouched.
        expect(await store.getMessage(alice, kept.id, keptMessage.id)).toEqual(keptMessage);
      });

      it('returns false when deleting an unknown thread', async () => {
        expect(await store.deleteThread(await user(), uniqueId('missing'))).toBe(false);
      });
    });

    describe('listThreads', () => {
      it('is empty for a user without threads', async () => {
        expect(await store.listThreads(await user(), { limit: 10 })).toEqual({
          items: [],
          nextCursor: null,
        });
      });

      it('lists the most recently active first; a new message moves a thread to the top', async () => {
        const alice = await user();
        const first = await store.createThread(alice, newThread({ title: 'first' }));
        const second = await store.createThread(alice, newThread({ title: 'second' }));
        const third = await store.createThread(alice, newThread({ title: 'third' }));

        const page = await store.listThreads(alice, { limit: 10 });
        expect(page.items.map((thread) => thread.id)).toEqual([third.id, second.id, first.id]);
        expect(page.nextCursor).toBeNull();
        for (const thread of page.items) expect(threadSchema.parse(thread)).toEqual(thread);

        await store.appendMessage(alice, first.id, newMessage());
        const after = await store.listThreads(alice, { limit: 10 });
        expect(after.items.map((thread) => thread.id)).toEqual([first.id, third.id, second.id]);
        expect(Date.parse(after.items[0]!.lastActivityAt)).toBeGreaterThan(
          Date.parse(first.lastActivityAt),
        );
      });

      it('visits every thread exactly once when paging 25 threads by 7', async () => {
        const alice = await user();
        const created = await Promise.all(
          Array.from({ length: 25 }, (_, index) =>
            store.createThread(alice, newThread({ title: `thread ${index}` })),
          ),
        );

        const pages = await collectThreadPages(store, alice, 7);
        expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 4]);
        const seen = pages.flat();
        const ids = seen.map((thread) => thread.id);
        expect(new Set(ids).size).toBe(25);
        expect([...ids].sort()).toEqual(created.map((thread) => thread.id).sort());
        for (let index = 1; index < seen.length; index++) {
          expect(Date.parse(seen[index - 1]!.lastActivityAt)).toBeGreaterThanOrEqual(
            Date.parse(seen[index]!.lastActivityAt),
          );
        }
        // Paging agrees with one big page.
        const all = await store.listThreads(alice, { limit: 100 });
        expect(all.items.map((thread) => thread.id)).toEqual(ids);
      });

      it('keeps its place when a thread is created between pages', async () => {
        const alice = await user();
        for (let index = 0; index < 6; index++) await store.createThread(alice, newThread());
        const all = (await store.listThreads(alice, { limit: 100 })).items.map((item) => item.id);

        const first = await store.listThreads(alice, { limit: 3 });
        expect(first.nextCursor).toEqual(expect.any(String));
        const newcomer = await store.createThread(alice, newThread());
        const second = await store.listThreads(alice, { limit: 3, cursor: first.nextCursor! });

        expect([...first.items, ...second.items].map((item) => item.id)).toEqual(all);
        expect(second.items.map((item) => item.id)).not.toContain(newcomer.id);
        expect(second.nextCursor).toBeNull();
      });

      it('gives no cursor when the last page is exactly full', async () => {
        const alice = await user();
        for (let index = 0; index < 4; index++) await store.createThread(alice, newThread());
        expect((await store.listThreads(alice, { limit: 4 })).nextCursor).toBeNull();
        const pages = await collectThreadPages(store, alice, 2);
        expect(pages.map((page) => page.length)).toEqual([2, 2]);
      });

      it('lists archived threads only when asked, and only those', async () => {
        const alice = await user();
        const active = await store.createThread(alice, newThread());
        const stored = await store.createThread(alice, newThread());
        await store.updateThread(alice, stored.id, { archived: true });

        const defaults = await store.listThreads(alice, { limit: 10 });
        expect(defaults.items.map((thread) => thread.id)).toEqual([active.id]);
        const unarchived = await store.listThreads(alice, { limit: 10, archived: false });
        expect(unarchived.items.map((thread) => thread.id)).toEqual([active.id]);
        const archived = await store.listThreads(alice, { limit: 10, archived: true });
        expect(archived.items.map((thread) => thread.id)).toEqual([stored.id]);
        expect(archived.items[0]!.archived).toBe(true);
      });

      it('rejects an invalid cursor with invalid_request', async () => {
        const alice = await user();
        await store.createThread(alice, newThread());
        const invalid = [
          'not-a-cursor',
          '%%%',
          encodeCursor([]),
          encodeCursor([42]),
          encodeCursor(['2024-01-01T00:00:00.000Z']),
          encodeCursor(['yesterday', 'thread-1']),
          encodeCursor(['2024-01-01T00:00:00.000Z', 7]),
          // Dates PostgreSQL cannot read, though Date.parse reads some of them.
          encodeCursor(['2026-02-31T00:00:00.000Z', 'thread-1']),
          encodeCursor(['2026-01-01T24:00:00.000Z', 'thread-1']),
          encodeCursor(['+099999-01-01T00:00:00.000Z', 'thread-1']),
          encodeCursor(['99999-01-01T00:00:00.000Z', 'thread-1']),
          // Ids no thread can have: PostgreSQL refuses NUL outright.
          encodeCursor(['2024-01-01T00:00:00.000Z', 'thread\u0000one']),
          encodeCursor(['2024-01-01T00:00:00.000Z', '']),
          encodeCursor(['2024-01-01T00:00:00.000Z', 'x'.repeat(129)]),
        ];
        for (const cursor of invalid) {
          await expectError(store.listThreads(alice, { limit: 10, cursor }), 'invalid_request');
        }
      });
    });

    describe('messages', () => {
      it('appends with sequence 0, 1, 2 per thread, no usage or error', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const other = await store.createThread(alice, newThread());
        const input = newMessage({
          role: 'user',
          authorId: alice.userId,
          parts: [{ type: 'text', text: 'Hello' }],
          status: 'complete',
          model: 'demo',
          metadata: { client: 'web' },
        });
        const before = Date.now();
        const first = await store.appendMessage(alice, thread.id, input);

        expect(messageSchema.parse(first)).toEqual(first);
        expect(first).toEqual({
          ...input,
          threadId: thread.id,
          usage: null,
          error: null,
          sequence: 0,
          createdAt: first.createdAt,
          updatedAt: first.updatedAt,
        });
        expect(Date.parse(first.createdAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(first.updatedAt).toBe(first.createdAt);

        const second = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ role: 'assistant', parentId: first.id, status: 'streaming' }),
        );
        const third = await store.appendMessage(alice, thread.id, newMessage());
        expect([second.sequence, third.sequence]).toEqual([1, 2]);
        expect(second).toMatchObject({
          parentId: first.id,
          role: 'assistant',
          status: 'streaming',
        });

        const elsewhere = await store.appendMessage(alice, other.id, newMessage());
        expect(elsewhere.sequence).toBe(0);
        expect(elsewhere.threadId).toBe(other.id);
      });

      it('marks the thread active when a message is appended', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const message = await store.appendMessage(alice, thread.id, newMessage());
        const after = await store.getThread(alice, thread.id);

        expect(Date.parse(after!.lastActivityAt)).toBeGreaterThan(
          Date.parse(thread.lastActivityAt),
        );
        expect(Date.parse(after!.lastActivityAt)).toBeGreaterThanOrEqual(
          Date.parse(message.createdAt),
        );
        expect(after).toMatchObject({ title: thread.title, createdAt: thread.createdAt });
      });

      it('rejects a message id taken in the same thread with conflict and stores nothing', async () => {
        const alice = await user();
        const bob = await user();
        const thread = await store.createThread(alice, newThread());
        const bobThread = await store.createThread(bob, newThread());
        const original = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parts: [{ type: 'text', text: 'original' }] }),
        );
        const activeAt = (await store.getThread(alice, thread.id))!.lastActivityAt;

        await expectError(
          store.appendMessage(
            alice,
            thread.id,
            newMessage({ id: original.id, parts: [{ type: 'text', text: 'again' }] }),
          ),
          'conflict',
        );

        expect(await store.getMessage(alice, thread.id, original.id)).toEqual(original);
        expect((await store.getThread(alice, thread.id))!.lastActivityAt).toBe(activeAt);
        // The failed append used no sequence number.
        const next = await store.appendMessage(alice, thread.id, newMessage());
        expect(next.sequence).toBe(1);
        expect((await store.appendMessage(bob, bobThread.id, newMessage())).sequence).toBe(0);
      });

      // Message ids are unique per thread: an id used in somebody else's thread is free in
      // yours, so a send never learns that it exists elsewhere.
      it('accepts a message id that another thread, of any user, already uses', async () => {
        const alice = await user();
        const bob = await user();
        const thread = await store.createThread(alice, newThread());
        const other = await store.createThread(alice, newThread());
        const bobThread = await store.createThread(bob, newThread());
        const original = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parts: [{ type: 'text', text: 'original' }] }),
        );

        const bobs = await store.appendMessage(
          bob,
          bobThread.id,
          newMessage({ id: original.id, parts: [{ type: 'text', text: "Bob's" }] }),
        );
        const again = await store.appendMessage(alice, other.id, newMessage({ id: original.id }));
        expect([bobs.threadId, bobs.sequence]).toEqual([bobThread.id, 0]);
        expect(again.threadId).toBe(other.id);

        expect(await store.getMessage(alice, thread.id, original.id)).toEqual(original);
        expect(await store.getMessage(bob, bobThread.id, original.id)).toEqual(bobs);
        expect(await store.getMessage(alice, other.id, original.id)).toEqual(again);
        const patched = await store.updateMessage(bob, bobThread.id, original.id, {
          status: 'failed',
        });
        expect(patched?.status).toBe('failed');
        expect(await store.getMessage(alice, thread.id, original.id)).toEqual(original);
        expect(await store.deleteThread(bob, bobThread.id)).toBe(true);
        expect(await store.getMessage(alice, thread.id, original.id)).toEqual(original);
        expect(await store.getMessage(alice, other.id, original.id)).toEqual(again);
      });

      it('rejects appending to an unknown thread with not_found', async () => {
        await expectError(
          store.appendMessage(await user(), uniqueId('missing'), newMessage()),
          'not_found',
        );
      });

      it('gets a message by thread and id', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const other = await store.createThread(alice, newThread());
        const message = await store.appendMessage(alice, thread.id, newMessage());

        const found = await store.getMessage(alice, thread.id, message.id);
        expect(found).toEqual(message);
        expect(messageSchema.parse(found)).toEqual(message);
        expect(await store.getMessage(alice, thread.id, uniqueId('missing'))).toBeNull();
        // The id is only found in its own thread.
        expect(await store.getMessage(alice, other.id, message.id)).toBeNull();
      });

      it('lists the children of a message, oldest first', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const question = await store.appendMessage(alice, thread.id, newMessage({ role: 'user' }));
        const answer = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ role: 'assistant', parentId: question.id }),
        );
        const followUp = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ role: 'user', parentId: answer.id }),
        );
        const regenerated = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ role: 'assistant', parentId: question.id }),
        );

        const children = await store.listChildren(alice, thread.id, question.id);
        expect(children).toEqual([answer, regenerated]);
        expect(await store.listChildren(alice, thread.id, answer.id)).toEqual([followUp]);
        expect(await store.listChildren(alice, thread.id, regenerated.id)).toEqual([]);
        expect(await store.listChildren(alice, thread.id, uniqueId('missing'))).toEqual([]);

        const other = await store.createThread(alice, newThread());
        expect(await store.listChildren(alice, other.id, question.id)).toEqual([]);
      });

      it('updates parts, status, usage, error and model, keeping the rest', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const question = await store.appendMessage(alice, thread.id, newMessage({ role: 'user' }));
        const answer = await store.appendMessage(
          alice,
          thread.id,
          newMessage({
            role: 'assistant',
            parentId: question.id,
            authorId: null,
            parts: [],
            status: 'streaming',
            model: 'demo',
            metadata: { attempt: 1 },
          }),
        );

        const streamed = await store.updateMessage(alice, thread.id, answer.id, {
          parts: [{ type: 'text', text: 'Partial' }],
        });
        expect(streamed).toEqual({
          ...answer,
          parts: [{ type: 'text', text: 'Partial' }],
          updatedAt: streamed?.updatedAt,
        });
        expect(Date.parse(streamed!.updatedAt)).toBeGreaterThan(Date.parse(answer.updatedAt));

        const usage = { inputTokens: 12, outputTokens: 34, reasoningTokens: 5 };
        const finished = await store.updateMessage(alice, thread.id, answer.id, {
          parts: [
            { type: 'reasoning', text: 'Thinking' },
            { type: 'text', text: 'Done.' },
          ],
          status: 'complete',
          usage,
          model: 'demo-2',
        });
        expect(finished).toMatchObject({
          id: answer.id,
          threadId: thread.id,
          parentId: question.id,
          role: 'assistant',
          authorId: null,
          status: 'complete',
          model: 'demo-2',
          usage,
          error: null,
          sequence: 1,
          metadata: { attempt: 1 },
          createdAt: answer.createdAt,
        });
        expect(messageSchema.parse(finished)).toEqual(finished);

        const error = {
          code: 'model_error',
          message: 'The model failed.',
          issues: [{ path: ['parts', 0], message: 'bad' }],
        };
        const failed = await store.updateMessage(alice, thread.id, answer.id, {
          status: 'failed',
          error,
          usage: null,
          model: null,
        });
        expect(failed).toMatchObject({
          status: 'failed',
          error,
          usage: null,
          model: null,
          parts: finished!.parts,
        });

        const retried = await store.updateMessage(alice, thread.id, answer.id, { error: null });
        expect(retried).toMatchObject({ status: 'failed', error: null, parts: finished!.parts });

        expect(await store.getMessage(alice, thread.id, answer.id)).toEqual(retried);
        // The other message is untouched.
        expect(await store.getMessage(alice, thread.id, question.id)).toEqual(question);
      });

      it('returns null when updating an unknown message, or one in another thread', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const other = await store.createThread(alice, newThread());
        const message = await store.appendMessage(alice, thread.id, newMessage());

        expect(
          await store.updateMessage(alice, thread.id, uniqueId('missing'), { status: 'failed' }),
        ).toBeNull();
        expect(
          await store.updateMessage(alice, other.id, message.id, { status: 'failed' }),
        ).toBeNull();
        expect(await store.getMessage(alice, thread.id, message.id)).toEqual(message);
      });
    });

    describe('listMessages', () => {
      it('is an empty page for a thread without messages', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        expect(await store.listMessages(alice, thread.id, { limit: 10 })).toEqual({
          items: [],
          nextCursor: null,
          versions: {},
        });
      });

      it('returns null for an unknown thread', async () => {
        expect(
          await store.listMessages(await user(), uniqueId('missing'), { limit: 10 }),
        ).toBeNull();
      });

      it('pages a branch of 120 messages by 50 from its leaf: 50, 50, 20', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const appended = await appendChain(store, alice, thread.id, 120);

        const first = await store.listMessages(alice, thread.id, { limit: 50 });
        expect(first!.items.map((message) => message.sequence)).toEqual(range(70, 120));
        expect(first!.items).toEqual(appended.slice(70));
        expect(first!.nextCursor).toEqual(expect.any(String));
        expect(first!.versions).toEqual({});
        for (const message of first!.items.slice(0, 3)) {
          expect(messageSchema.parse(message)).toEqual(message);
        }

        const second = await store.listMessages(alice, thread.id, {
          limit: 50,
          before: first!.nextCursor!,
        });
        expect(second!.items.map((message) => message.sequence)).toEqual(range(20, 70));
        expect(second!.nextCursor).toEqual(expect.any(String));

        const third = await store.listMessages(alice, thread.id, {
          limit: 50,
          before: second!.nextCursor!,
        });
        expect(third!.items.map((message) => message.sequence)).toEqual(range(0, 20));
        expect(third!.nextCursor).toBeNull();

        const all = [...third!.items, ...second!.items, ...first!.items];
        expect(all.map((message) => message.id)).toEqual(appended.map((message) => message.id));
      });

      it('gives no cursor when the oldest page is exactly full', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        await appendChain(store, alice, thread.id, 6);
        expect((await store.listMessages(alice, thread.id, { limit: 6 }))!.nextCursor).toBeNull();
        const first = await store.listMessages(alice, thread.id, { limit: 3 });
        const second = await store.listMessages(alice, thread.id, {
          limit: 3,
          before: first!.nextCursor!,
        });
        expect(second!.items.map((message) => message.sequence)).toEqual([0, 1, 2]);
        expect(second!.nextCursor).toBeNull();
      });

      it('keeps its place when messages are appended between pages', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const chain = await appendChain(store, alice, thread.id, 5);
        const first = await store.listMessages(alice, thread.id, { limit: 3 });
        await store.appendMessage(alice, thread.id, newMessage({ parentId: chain.at(-1)!.id }));
        const second = await store.listMessages(alice, thread.id, {
          limit: 3,
          before: first!.nextCursor!,
        });
        expect(first!.items.map((message) => message.sequence)).toEqual([2, 3, 4]);
        expect(second!.items.map((message) => message.sequence)).toEqual([0, 1]);
      });

      it('rejects an invalid cursor with invalid_request', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        await store.appendMessage(alice, thread.id, newMessage());
        const invalid = [
          'not-a-cursor',
          '%%%',
          encodeCursor([]),
          encodeCursor([3]),
          encodeCursor(['a', 'b']),
          // Ids outside the id alphabet, which PostgreSQL may refuse to compare.
          encodeCursor(['\u0000']),
          encodeCursor(['\ud800']),
          encodeCursor(['x'.repeat(129)]),
          'WzFlMzAwXQ', // [1e300] as JSON text
        ];
        for (const before of invalid) {
          await expectError(
            store.listMessages(alice, thread.id, { limit: 10, before }),
            'invalid_request',
          );
        }
      });

      it('gives an empty page for a leaf or cursor that names no message of the thread', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const [question] = await appendChain(store, alice, thread.id, 2);
        const other = await store.createThread(alice, newThread());
        const elsewhere = await store.appendMessage(alice, other.id, newMessage());
        const empty = { items: [], nextCursor: null, versions: {} };
        for (const leafId of [uniqueId('missing'), elsewhere.id]) {
          expect(await store.listMessages(alice, thread.id, { limit: 10, leafId })).toEqual(empty);
          const before = encodeCursor([leafId]);
          expect(await store.listMessages(alice, thread.id, { limit: 10, before })).toEqual(empty);
        }
        // The cursor of the root: nothing above it.
        const before = encodeCursor([question!.id]);
        expect(await store.listMessages(alice, thread.id, { limit: 10, before })).toEqual(empty);
      });
    });

    describe('branches', () => {
      /**
       * q1 → a1 and its regenerated version a1b; a1b → q2 → a2, and q2's edited version q2b → a2b.
       * Appended in that order, so the newest message is a2b.
       */
      async function tree(scope: ChatScope) {
        const thread = await store.createThread(scope, newThread());
        const add = (parent: Message | null, role: 'user' | 'assistant', text: string) =>
          store.appendMessage(
            scope,
            thread.id,
            newMessage({ parentId: parent?.id ?? null, role, parts: [{ type: 'text', text }] }),
          );
        const q1 = await add(null, 'user', 'q1');
        const a1 = await add(q1, 'assistant', 'a1');
        const a1b = await add(q1, 'assistant', 'a1b');
        const q2 = await add(a1b, 'user', 'q2');
        const a2 = await add(q2, 'assistant', 'a2');
        const q2b = await add(a1b, 'user', 'q2b');
        const a2b = await add(q2b, 'assistant', 'a2b');
        return { thread, q1, a1, a1b, q2, a2, q2b, a2b };
      }
      const ids = (page: { items: Message[] } | null) => page!.items.map((message) => message.id);

      it('lists the branch of the newest message, with the versions of its turns', async () => {
        const alice = await user();
        const { thread, q1, a1, a1b, q2, q2b, a2b } = await tree(alice);
        const page = await store.listMessages(alice, thread.id, { limit: 10 });
        expect(ids(page)).toEqual([q1.id, a1b.id, q2b.id, a2b.id]);
        expect(page!.versions).toEqual({ [a1b.id]: [a1.id, a1b.id], [q2b.id]: [q2.id, q2b.id] });
      });

      it('lists exactly the branch of a given leaf', async () => {
        const alice = await user();
        const { thread, q1, a1, a1b, q2, a2 } = await tree(alice);
        expect(
          ids(await store.listMessages(alice, thread.id, { limit: 10, leafId: a2.id })),
        ).toEqual([q1.id, a1b.id, q2.id, a2.id]);
        // A leaf that has children is still where the branch ends.
        expect(
          ids(await store.listMessages(alice, thread.id, { limit: 10, leafId: a1b.id })),
        ).toEqual([q1.id, a1b.id]);
        expect(
          ids(await store.listMessages(alice, thread.id, { limit: 10, leafId: a1.id })),
        ).toEqual([q1.id, a1.id]);
      });

      it('pages a branch up its parents, never into other versions', async () => {
        const alice = await user();
        const { thread, q1, a1b, q2, a2 } = await tree(alice);
        const first = await store.listMessages(alice, thread.id, { limit: 2, leafId: a2.id });
        expect(ids(first)).toEqual([q2.id, a2.id]);
        const second = await store.listMessages(alice, thread.id, {
          limit: 2,
          before: first!.nextCursor!,
        });
        expect(ids(second)).toEqual([q1.id, a1b.id]);
        expect(second!.nextCursor).toBeNull();
      });

      it("keeps the caller's chosen leaf, followed down its newest children", async () => {
        const alice = await user();
        const { thread, q1, a1, a1b, q2, a2, q2b } = await tree(alice);
        expect(await store.setLeaf(alice, thread.id, a1.id)).toBe(true);
        expect(ids(await store.listMessages(alice, thread.id, { limit: 10 }))).toEqual([
          q1.id,
          a1.id,
        ]);
        expect(await store.setLeaf(alice, thread.id, q2.id)).toBe(true);
        expect(ids(await store.listMessages(alice, thread.id, { limit: 10 }))).toEqual([
          q1.id,
          a1b.id,
          q2.id,
          a2.id,
        ]);
        // Choosing a1b again shows its newest continuation, the edited question's branch.
        expect(await store.setLeaf(alice, thread.id, a1b.id)).toBe(true);
        const page = await store.listMessages(alice, thread.id, { limit: 10 });
        expect(ids(page)).toEqual([q1.id, a1b.id, q2b.id, expect.any(String)]);
        // A message appended below the chosen branch is on it at once.
        const q3 = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parentId: page!.items.at(-1)!.id }),
        );
        expect(ids(await store.listMessages(alice, thread.id, { limit: 10 })).at(-1)).toBe(q3.id);
      });

      it('refuses a leaf outside the thread or of a thread the caller cannot see', async () => {
        const alice = await user();
        const bob = await user();
        const { thread, a1, a2b } = await tree(alice);
        const other = await store.createThread(alice, newThread());
        const elsewhere = await store.appendMessage(alice, other.id, newMessage());
        expect(await store.setLeaf(alice, thread.id, uniqueId('missing'))).toBe(false);
        expect(await store.setLeaf(alice, thread.id, elsewhere.id)).toBe(false);
        expect(await store.setLeaf(bob, thread.id, a1.id)).toBe(false);
        expect(ids(await store.listMessages(alice, thread.id, { limit: 10 })).at(-1)).toBe(a2b.id);
      });

      it('lists the versions of a first turn, whose messages have no parent', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const first = await store.appendMessage(alice, thread.id, newMessage());
        const edited = await store.appendMessage(alice, thread.id, newMessage());
        expect(await store.listChildren(alice, thread.id, null)).toEqual([first, edited]);
        const page = await store.listMessages(alice, thread.id, { limit: 10 });
        expect(ids(page)).toEqual([edited.id]);
        expect(page!.versions).toEqual({ [edited.id]: [first.id, edited.id] });
      });

      it('deletes a message with everything below it, and moves leaves inside it up', async () => {
        const alice = await user();
        const bob = await user();
        const { thread, q1, a1, a1b, a2 } = await tree(alice);
        expect(await store.deleteMessage(bob, thread.id, a1b.id)).toBe(0);
        expect(await store.deleteMessage(alice, thread.id, uniqueId('missing'))).toBe(0);
        await store.setLeaf(alice, thread.id, a2.id);

        expect(await store.deleteMessage(alice, thread.id, a1b.id)).toBe(5);
        const page = await store.listMessages(alice, thread.id, { limit: 10 });
        expect(ids(page)).toEqual([q1.id, a1.id]);
        expect(page!.versions).toEqual({});
        expect(await store.getMessage(alice, thread.id, a2.id)).toBeNull();
        expect(await store.listChildren(alice, thread.id, q1.id)).toEqual([a1]);
        // Its ids are free again, and the thread goes on from what is left.
        const next = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ id: a2.id, parentId: a1.id }),
        );
        expect(ids(await store.listMessages(alice, thread.id, { limit: 10 }))).toEqual([
          q1.id,
          a1.id,
          next.id,
        ]);

        expect(await store.deleteMessage(alice, thread.id, q1.id)).toBe(3);
        expect(await store.listMessages(alice, thread.id, { limit: 10 })).toEqual({
          items: [],
          nextCursor: null,
          versions: {},
        });
      });

      it('agrees with the tree over any history of replies, edits, switches and deletes', async () => {
        // Each step names a message by its place among those that exist (modulo their number).
        const step = fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record({
              kind: fc.constant('reply' as const),
              at: fc.nat({ max: 5 }),
              root: fc.nat({ max: 9 }).map((roll) => roll === 0),
            }),
          },
          {
            weight: 1,
            arbitrary: fc.record({ kind: fc.constant('choose' as const), at: fc.nat({ max: 5 }) }),
          },
          {
            weight: 1,
            arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat({ max: 5 }) }),
          },
        );
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
            const alice = await user();
            const thread = await store.createThread(alice, newThread());
            let messages: Message[] = [];
            let chosen: string | undefined;
            for (const { kind, at, ...rest } of steps) {
              const target = messages[at % Math.max(1, messages.length)];
              if (kind === 'reply') {
                const parentId = target && !('root' in rest && rest.root) ? target.id : null;
                messages.push(
                  await store.appendMessage(alice, thread.id, newMessage({ parentId })),
                );
              } else if (kind === 'choose' && target) {
                expect(await store.setLeaf(alice, thread.id, target.id)).toBe(true);
                chosen = target.id;
              } else if (kind === 'delete' && target) {
                const removed = new Set(
                  new MessageTree(messages).subtree(target.id).map((message) => message.id),
                );
                expect(await store.deleteMessage(alice, thread.id, target.id)).toBe(removed.size);
                messages = messages.filter((message) => !removed.has(message.id));
                if (chosen !== undefined && removed.has(chosen))
                  chosen = target.parentId ?? undefined;
              }
            }
            const tree = new MessageTree(messages);
            const leaf = tree.leafOf(chosen);
            const branch = leaf ? tree.branch(leaf.id) : [];
            const versions = Object.fromEntries(
              branch
                .filter((message) => tree.versions(message.id).length > 1)
                .map((message) => [message.id, tree.versions(message.id).map((item) => item.id)]),
            );

            // What the thread shows, in one page and paged as a reload scrolls up...
            const whole = await store.listMessages(alice, thread.id, { limit: 200 });
            expect(whole).toEqual({ items: branch, nextCursor: null, versions });
            const paged: Message[] = [];
            let before: string | undefined;
            do {
              const page = await store.listMessages(alice, thread.id, { limit: 3, before });
              paged.unshift(...page!.items);
              before = page!.nextCursor ?? undefined;
            } while (before);
            expect(paged).toEqual(branch);
            // ...and what a model answering its leaf is given: the same branch.
            if (leaf) {
              const context = await store.listMessages(alice, thread.id, {
                limit: 200,
                leafId: leaf.id,
              });
              expect(context!.items).toEqual(branch);
            }
          }),
          { numRuns: 50 },
        );
      });

      it('scans every version of every turn in sequence order, a batch at a time', async () => {
        const alice = await user();
        const bob = await user();
        const { thread, q1, a1, a1b, q2, a2, q2b, a2b } = await tree(alice);
        const all = [q1, a1, a1b, q2, a2, q2b, a2b];
        expect(await store.scanMessages(alice, thread.id, { limit: 100 })).toEqual(all);
        const first = await store.scanMessages(alice, thread.id, { limit: 4 });
        expect(first).toEqual(all.slice(0, 4));
        const rest = await store.scanMessages(alice, thread.id, {
          afterSequence: first!.at(-1)!.sequence,
          limit: 4,
        });
        expect(rest).toEqual(all.slice(4));
        expect(await store.scanMessages(alice, thread.id, { afterSequence: 6, limit: 4 })).toEqual(
          [],
        );
        expect(await store.scanMessages(bob, thread.id, { limit: 100 })).toBeNull();
        expect(await store.scanMessages(alice, uniqueId('missing'), { limit: 100 })).toBeNull();
      });

      it('forks the branch up to a message into a new thread of the caller', async () => {
        const alice = await user();
        const bob = await user();
        const { thread, q1, a1b, q2, a2 } = await tree(alice);
        const open = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parentId: a2.id, role: 'assistant', status: 'streaming' }),
        );
        const input = newThread({ title: 'A thread (fork)', metadata: { from: thread.id } });
        const fork = await store.forkThread(alice, thread.id, open.id, input);
        expect(fork).toMatchObject({
          id: input.id,
          ownerId: alice.userId,
          title: 'A thread (fork)',
          metadata: { from: thread.id },
          archived: false,
        });
        expect(threadSchema.parse(fork)).toEqual(fork);
        const page = await store.listMessages(alice, fork!.id, { limit: 10 });
        const source = [q1, a1b, q2, a2, open];
        expect(page!.items).toEqual(
          source.map((message, sequence) => ({
            ...message,
            threadId: fork!.id,
            sequence,
            status: message.id === open.id ? 'cancelled' : message.status,
            createdAt: expect.any(String),
            updatedAt: expect.any(String),
          })),
        );
        expect(page!.versions).toEqual({});
        // The fork goes on by itself; the source is untouched.
        const next = await store.appendMessage(alice, fork!.id, newMessage({ parentId: open.id }));
        expect(next.sequence).toBe(5);
        expect(await store.getMessage(alice, thread.id, open.id)).toEqual(open);
        expect(await store.listChildren(alice, thread.id, open.id)).toEqual([]);
        expect((await store.listThreads(alice, { limit: 100 })).items[0]!.id).toBe(fork!.id);

        expect(await store.forkThread(bob, thread.id, a2.id, newThread())).toBeNull();
        expect(
          await store.forkThread(alice, thread.id, uniqueId('missing'), newThread()),
        ).toBeNull();
        await expectError(store.forkThread(alice, thread.id, a2.id, { ...input }), 'conflict');
        expect((await store.listThreads(bob, { limit: 100 })).items).toEqual([]);
      });
    });

    describe('event log', () => {
      const updated = (thread: Thread) => ({ type: 'thread-updated' as const, thread });

      it("numbers a thread's events 1, 2, 3… across appends and lists them after a position", async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        expect(await store.listEvents(alice, thread.id, { after: 0, limit: 10 })).toEqual({
          items: [],
          truncated: false,
          lastSeq: 0,
        });
        expect(
          await store.appendEvents(alice, thread.id, [updated(thread), updated(thread)]),
        ).toEqual([1, 2]);
        expect(
          await store.appendEvents(alice, thread.id, [{ type: 'run-started', messageId: 'a' }]),
        ).toEqual([3]);
        const page = await store.listEvents(alice, thread.id, { after: 1, limit: 10 });
        expect(page).toEqual({
          items: [
            { seq: 2, chunk: updated(thread) },
            { seq: 3, chunk: { type: 'run-started', messageId: 'a' } },
          ],
          truncated: false,
          lastSeq: 3,
        });
        const limited = await store.listEvents(alice, thread.id, { after: 0, limit: 2 });
        expect(limited?.items.map((item) => item.seq)).toEqual([1, 2]);
        // Another thread has its own numbers.
        const other = await store.createThread(alice, newThread());
        expect(await store.appendEvents(alice, other.id, [updated(other)])).toEqual([1]);
      });

      it('gives concurrent appends distinct, gapless numbers', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const seqs = await Promise.all(
          Array.from({ length: 10 }, () =>
            store.appendEvents(alice, thread.id, [updated(thread), updated(thread)]),
          ),
        );
        expect(seqs.flat().sort((a, b) => a - b)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        for (const pair of seqs) expect(pair[1]).toBe(pair[0]! + 1);
      });

      it(`keeps the latest ${EVENT_LOG_LENGTH} events and says when a position fell out of it`, async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const total = EVENT_LOG_LENGTH + 250;
        for (let sent = 0; sent < total; sent += 125) {
          await store.appendEvents(
            alice,
            thread.id,
            Array.from({ length: 125 }, () => ({ type: 'resync' as const })),
          );
        }
        const old = await store.listEvents(alice, thread.id, { after: 10, limit: 5 });
        expect(old?.truncated).toBe(true);
        expect(old?.lastSeq).toBe(total);
        const recent = await store.listEvents(alice, thread.id, { after: total - 3, limit: 10 });
        expect(recent).toMatchObject({ truncated: false, lastSeq: total });
        expect(recent?.items.map((item) => item.seq)).toEqual([total - 2, total - 1, total]);
        const kept = await store.listEvents(alice, thread.id, {
          after: total - EVENT_LOG_LENGTH,
          limit: 1,
        });
        expect(kept?.truncated).toBe(false);
        // At the latest event, nothing is missing.
        expect(
          (await store.listEvents(alice, thread.id, { after: total, limit: 1 }))?.truncated,
        ).toBe(false);
      });

      it("hides another user's log, and deletes a thread's log with it", async () => {
        const alice = await user();
        const mallory = await user();
        const thread = await store.createThread(alice, newThread());
        await store.appendEvents(alice, thread.id, [updated(thread)]);
        expect(await store.listEvents(mallory, thread.id, { after: 0, limit: 10 })).toBeNull();
        await expectError(store.appendEvents(mallory, thread.id, [updated(thread)]), 'not_found');
        expect((await store.listEvents(alice, thread.id, { after: 0, limit: 10 }))?.lastSeq).toBe(
          1,
        );
        await store.deleteThread(alice, thread.id);
        expect(await store.listEvents(alice, thread.id, { after: 0, limit: 10 })).toBeNull();
      });
    });

    describe('run lease', () => {
      it('is taken by one run at a time until it is released or expires', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const now = Date.now();
        expect(await store.getRun(alice, thread.id)).toBeNull();
        expect(
          await store.acquireRun(
            alice,
            thread.id,
            { messageId: 'a1', expiresAt: now + 10_000 },
            now,
          ),
        ).toBe(true);
        expect(
          await store.acquireRun(
            alice,
            thread.id,
            { messageId: 'a2', expiresAt: now + 10_000 },
            now,
          ),
        ).toBe(false);
        expect(await store.getRun(alice, thread.id)).toEqual({
          messageId: 'a1',
          expiresAt: now + 10_000,
          stopRequested: false,
        });
        // Releasing another run's lease does nothing; the holder's frees the thread.
        await store.releaseRun(alice, thread.id, 'a2');
        expect((await store.getRun(alice, thread.id))?.messageId).toBe('a1');
        await store.releaseRun(alice, thread.id, 'a1');
        expect(await store.getRun(alice, thread.id)).toBeNull();
        expect(
          await store.acquireRun(alice, thread.id, { messageId: 'a2', expiresAt: now + 10 }, now),
        ).toBe(true);
        // Past its expiry, the next run takes it over.
        const later = now + 11;
        expect(
          await store.acquireRun(
            alice,
            thread.id,
            { messageId: 'a3', expiresAt: later + 10_000 },
            later,
          ),
        ).toBe(true);
        expect((await store.getRun(alice, thread.id))?.messageId).toBe('a3');
      });

      it('lets exactly one of concurrent runs take a free lease', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const now = Date.now();
        const taken = await Promise.all(
          Array.from({ length: 8 }, (_, index) =>
            store.acquireRun(
              alice,
              thread.id,
              { messageId: `r${index}`, expiresAt: now + 10_000 },
              now,
            ),
          ),
        );
        expect(taken.filter(Boolean)).toHaveLength(1);
        expect((await store.getRun(alice, thread.id))?.messageId).toBe(`r${taken.indexOf(true)}`);
      });

      it('renews only for its holder, and carries a stop request to it', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const now = Date.now();
        await store.acquireRun(alice, thread.id, { messageId: 'a1', expiresAt: now + 1000 }, now);
        expect(await store.renewRun(alice, thread.id, 'a1', now + 5000)).toEqual({
          messageId: 'a1',
          expiresAt: now + 5000,
          stopRequested: false,
        });
        expect(await store.renewRun(alice, thread.id, 'other', now + 9000)).toBeNull();
        expect(await store.requestStop(alice, thread.id, 'other')).toBeNull();
        expect(await store.requestStop(alice, thread.id)).toMatchObject({
          messageId: 'a1',
          stopRequested: true,
        });
        expect(await store.renewRun(alice, thread.id, 'a1', now + 6000)).toMatchObject({
          stopRequested: true,
        });
        await store.releaseRun(alice, thread.id, 'a1');
        expect(await store.requestStop(alice, thread.id)).toBeNull();
        // A new run starts without the old request.
        await store.acquireRun(alice, thread.id, { messageId: 'a2', expiresAt: now + 1000 }, now);
        expect(await store.getRun(alice, thread.id)).toMatchObject({ stopRequested: false });
      });

      it("never shows or changes another user's lease", async () => {
        const alice = await user();
        const mallory = await user();
        const thread = await store.createThread(alice, newThread());
        const now = Date.now();
        expect(
          await store.acquireRun(
            mallory,
            thread.id,
            { messageId: 'm', expiresAt: now + 1000 },
            now,
          ),
        ).toBe(false);
        await store.acquireRun(alice, thread.id, { messageId: 'a1', expiresAt: now + 1000 }, now);
        expect(await store.getRun(mallory, thread.id)).toBeNull();
        expect(await store.renewRun(mallory, thread.id, 'a1', now + 9000)).toBeNull();
        expect(await store.requestStop(mallory, thread.id)).toBeNull();
        await store.releaseRun(mallory, thread.id, 'a1');
        expect(await store.getRun(alice, thread.id)).toEqual({
          messageId: 'a1',
          expiresAt: now + 1000,
          stopRequested: false,
        });
      });
    });

    describe('run progress', () => {
      const streamingAnswer = async (scope: ChatScope, threadId: string) => {
        const question = await store.appendMessage(scope, threadId, newMessage({ role: 'user' }));
        return store.appendMessage(
          scope,
          threadId,
          newMessage({
            role: 'assistant',
            parentId: question.id,
            parts: [],
            status: 'streaming',
            model: 'demo',
            metadata: { attempt: 1 },
          }),
        );
      };

      it('writes the partial parts, moving only updatedAt with them', async (context) => {
        if (!store.saveRunProgress) context.skip();
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const answer = await streamingAnswer(alice, thread.id);

        const parts: Part[] = [
          { type: 'reasoning', text: 'Thinking' },
          { type: 'text', text: 'Part' },
        ];
        expect(
          await store.saveRunProgress!(alice, thread.id, answer.id, { parts }),
        ).toBeUndefined();
        const stored = await store.getMessage(alice, thread.id, answer.id);
        expect(stored).toEqual({ ...answer, parts, updatedAt: stored?.updatedAt });
        expect(Date.parse(stored!.updatedAt)).toBeGreaterThan(Date.parse(answer.updatedAt));
        // The store kept its own copy.
        parts[1] = { type: 'text', text: 'Changed' };
        expect((await store.getMessage(alice, thread.id, answer.id))!.parts[1]).toEqual({
          type: 'text',
          text: 'Part',
        });
      });

      it('renews the lease beside the parts, only for its holder', async (context) => {
        if (!store.saveRunProgress) context.skip();
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const answer = await streamingAnswer(alice, thread.id);
        const now = Date.now();
        await store.acquireRun(
          alice,
          thread.id,
          { messageId: answer.id, expiresAt: now + 1000 },
          now,
        );

        const parts: Part[] = [{ type: 'text', text: 'Partial' }];
        expect(
          await store.saveRunProgress!(alice, thread.id, answer.id, {
            parts,
            leaseExpiresAt: now + 5000,
          }),
        ).toEqual({ messageId: answer.id, expiresAt: now + 5000, stopRequested: false });
        expect((await store.getMessage(alice, thread.id, answer.id))!.parts).toEqual(parts);

        // The renewal alone, and a stop request carried to the holder.
        await store.requestStop(alice, thread.id, answer.id);
        expect(
          await store.saveRunProgress!(alice, thread.id, answer.id, { leaseExpiresAt: now + 6000 }),
        ).toEqual({ messageId: answer.id, expiresAt: now + 6000, stopRequested: true });

        // A run that no longer holds the lease renews nothing.
        expect(
          await store.saveRunProgress!(alice, thread.id, 'other', { leaseExpiresAt: now + 9000 }),
        ).toBeNull();
        expect(await store.getRun(alice, thread.id)).toEqual({
          messageId: answer.id,
          expiresAt: now + 6000,
          stopRequested: true,
        });
      });

      it("changes nothing of another user's thread", async (context) => {
        if (!store.saveRunProgress) context.skip();
        const alice = await user();
        const mallory = await user();
        const thread = await store.createThread(alice, newThread());
        const answer = await streamingAnswer(alice, thread.id);
        const now = Date.now();
        await store.acquireRun(
          alice,
          thread.id,
          { messageId: answer.id, expiresAt: now + 1000 },
          now,
        );
        const threadBefore = await store.getThread(alice, thread.id);

        const hijack: Part[] = [{ type: 'text', text: 'Hijacked' }];
        expect(
          await store.saveRunProgress!(mallory, thread.id, answer.id, { parts: hijack }),
        ).toBeUndefined();
        expect(
          await store.saveRunProgress!(mallory, thread.id, answer.id, {
            parts: hijack,
            leaseExpiresAt: now + 9000,
          }),
        ).toBeNull();
        expect(await store.getMessage(alice, thread.id, answer.id)).toEqual(answer);
        expect(await store.getThread(alice, thread.id)).toEqual(threadBefore);
        expect(await store.getRun(alice, thread.id)).toEqual({
          messageId: answer.id,
          expiresAt: now + 1000,
          stopRequested: false,
        });

        // An unknown message, or one of another thread, changes nothing either.
        const other = await store.createThread(alice, newThread());
        await store.saveRunProgress!(alice, other.id, answer.id, { parts: hijack });
        await store.saveRunProgress!(alice, thread.id, uniqueId('missing'), { parts: hijack });
        expect(await store.getMessage(alice, thread.id, answer.id)).toEqual(answer);
      });
      it('writes the progress of many answers at once as it writes each alone', async (context) => {
        if (!store.saveRunProgress) context.skip();
        const alice = await user();
        const bob = await user();
        const mallory = await user();
        const now = Date.now();
        const answers = await Promise.all(
          Array.from({ length: 12 }, async (_, index) => {
            const owner = index % 2 === 0 ? alice : bob;
            const thread = await store.createThread(owner, newThread());
            const answer = await streamingAnswer(owner, thread.id);
            await store.acquireRun(
              owner,
              thread.id,
              { messageId: answer.id, expiresAt: now + 1000 },
              now,
            );
            return { owner, thread, answer, index };
          }),
        );
        const partsOf = (index: number): Part[] => [
          { type: 'text', text: `Answer ${index} so far` },
        ];
        // Issued in one turn, so the store may write them together: parts alone, the lease
        // alone, both, a caller who is not the owner, and a message that does not hold the lease.
        const results = await Promise.all(
          answers.map(({ owner, thread, answer, index }) => {
            switch (index % 6) {
              case 0:
                return store.saveRunProgress!(owner, thread.id, answer.id, {
                  parts: partsOf(index),
                });
              case 1:
                return store.saveRunProgress!(owner, thread.id, answer.id, {
                  leaseExpiresAt: now + 5000 + index,
                });
              case 2:
              case 3:
                return store.saveRunProgress!(owner, thread.id, answer.id, {
                  parts: partsOf(index),
                  leaseExpiresAt: now + 5000 + index,
                });
              case 4:
                return store.saveRunProgress!(mallory, thread.id, answer.id, {
                  parts: partsOf(index),
                  leaseExpiresAt: now + 5000 + index,
                });
              default:
                return store.saveRunProgress!(owner, thread.id, 'not-the-holder', {
                  leaseExpiresAt: now + 5000 + index,
                });
            }
          }),
        );
        for (const { owner, thread, answer, index } of answers) {
          const kind = index % 6;
          const renewed = kind === 1 || kind === 2 || kind === 3;
          const wroteParts = kind === 0 || kind === 2 || kind === 3;
          expect(results[index]).toEqual(
            kind === 0
              ? undefined
              : renewed
                ? { messageId: answer.id, expiresAt: now + 5000 + index, stopRequested: false }
                : null,
          );
          const stored = await store.getMessage(owner, thread.id, answer.id);
          expect(stored!.parts).toEqual(wroteParts ? partsOf(index) : []);
          expect(stored!.updatedAt === answer.updatedAt).toBe(!wroteParts);
          expect(await store.getRun(owner, thread.id)).toEqual({
            messageId: answer.id,
            expiresAt: renewed ? now + 5000 + index : now + 1000,
            stopRequested: false,
          });
        }
      });
    });

    describe('tenancy', () => {
      it("hides one user's thread and messages from another through every method", async () => {
        const alice = await user();
        const bob = await user();
        const thread = await store.createThread(
          alice,
          newThread({ title: 'Private', metadata: { secret: true } }),
        );
        const question = await store.appendMessage(alice, thread.id, newMessage({ role: 'user' }));
        const answer = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ role: 'assistant', parentId: question.id }),
        );
        await store.createThread(bob, newThread({ title: "Bob's own" }));
        const aliceView = await store.getThread(alice, thread.id);

        expect(await store.getThread(bob, thread.id)).toBeNull();

        expect(
          await store.updateThread(bob, thread.id, { title: 'Hijacked', archived: true }),
        ).toBeNull();
        expect(await store.getThread(alice, thread.id)).toEqual(aliceView);

        expect(await store.deleteThread(bob, thread.id)).toBe(false);
        expect(await store.getThread(alice, thread.id)).toEqual(aliceView);

        const bobThreads = await store.listThreads(bob, { limit: 100 });
        expect(bobThreads.items.map((item) => item.id)).not.toContain(thread.id);
        expect(bobThreads.items.every((item) => item.ownerId === bob.userId)).toBe(true);
        await store.updateThread(alice, thread.id, { archived: true });
        const bobArchived = await store.listThreads(bob, { limit: 100, archived: true });
        expect(bobArchived.items).toEqual([]);
        await store.updateThread(alice, thread.id, { archived: false });
        const aliceBefore = await store.getThread(alice, thread.id);

        expect(await store.listMessages(bob, thread.id, { limit: 10 })).toBeNull();
        expect(await store.getMessage(bob, thread.id, question.id)).toBeNull();
        expect(await store.listChildren(bob, thread.id, question.id)).toEqual([]);

        const intruder = newMessage({ role: 'user', authorId: bob.userId });
        await expectError(store.appendMessage(bob, thread.id, intruder), 'not_found');
        expect((await store.listMessages(alice, thread.id, { limit: 10 }))!.items).toEqual([
          question,
          answer,
        ]);
        expect(await store.getThread(alice, thread.id)).toEqual(aliceBefore);

        expect(
          await store.updateMessage(bob, thread.id, answer.id, {
            parts: [{ type: 'text', text: 'Hijacked' }],
            status: 'failed',
          }),
        ).toBeNull();
        expect(await store.getMessage(alice, thread.id, answer.id)).toEqual(answer);

        // Nothing of Bob's attempt was stored: its id is still free.
        const next = await store.appendMessage(alice, thread.id, newMessage({ id: intruder.id }));
        expect(next.sequence).toBe(2);
      });
    });

    describe('copies', () => {
      it('returns threads that can be changed without changing the store', async () => {
        const alice = await user();
        const created = await store.createThread(
          alice,
          newThread({ title: 'Original', metadata: { nested: { value: 1 }, list: [1] } }),
        );
        const snapshot = structuredClone(created);

        mutateThread(created);
        expect(await store.getThread(alice, snapshot.id)).toEqual(snapshot);

        mutateThread((await store.getThread(alice, snapshot.id))!);
        mutateThread((await store.listThreads(alice, { limit: 10 })).items[0]!);
        expect(await store.getThread(alice, snapshot.id)).toEqual(snapshot);

        const updated = await store.updateThread(alice, snapshot.id, { title: 'Renamed' });
        const updatedSnapshot = structuredClone(updated);
        mutateThread(updated!);
        expect(await store.getThread(alice, snapshot.id)).toEqual(updatedSnapshot);
      });

      it('keeps its own copy of the inputs', async () => {
        const alice = await user();
        const input = newThread({ metadata: { nested: { value: 1 } } });
        await store.createThread(alice, input);
        (input.metadata.nested as { value: number }).value = 2;
        expect((await store.getThread(alice, input.id))!.metadata).toEqual({
          nested: { value: 1 },
        });

        const patch = { metadata: { nested: { value: 3 } } };
        await store.updateThread(alice, input.id, patch);
        patch.metadata.nested.value = 4;
        expect((await store.getThread(alice, input.id))!.metadata).toEqual({
          nested: { value: 3 },
        });

        const messageInput = newMessage({ parts: [{ type: 'text', text: 'kept' }] });
        await store.appendMessage(alice, input.id, messageInput);
        (messageInput.parts[0] as { text: string }).text = 'changed';
        messageInput.metadata.extra = true;
        const stored = await store.getMessage(alice, input.id, messageInput.id);
        expect(stored!.parts).toEqual([{ type: 'text', text: 'kept' }]);
        expect(stored!.metadata).toEqual({});

        const parts: Part[] = [{ type: 'text', text: 'patched' }];
        await store.updateMessage(alice, input.id, messageInput.id, { parts });
        (parts[0] as { text: string }).text = 'changed';
        expect((await store.getMessage(alice, input.id, messageInput.id))!.parts).toEqual([
          { type: 'text', text: 'patched' },
        ]);
      });

      it('returns messages that can be changed without changing the store', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const parent = await store.appendMessage(alice, thread.id, newMessage());
        const appended = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parentId: parent.id, metadata: { nested: { value: 1 } } }),
        );
        const snapshot = structuredClone(appended);

        mutateMessage(appended);
        expect(await store.getMessage(alice, thread.id, snapshot.id)).toEqual(snapshot);

        mutateMessage((await store.getMessage(alice, thread.id, snapshot.id))!);
        mutateMessage((await store.listMessages(alice, thread.id, { limit: 10 }))!.items[1]!);
        mutateMessage((await store.listChildren(alice, thread.id, parent.id))[0]!);
        expect(await store.getMessage(alice, thread.id, snapshot.id)).toEqual(snapshot);

        const updated = await store.updateMessage(alice, thread.id, snapshot.id, {
          usage: { inputTokens: 1, outputTokens: 2 },
        });
        const updatedSnapshot = structuredClone(updated);
        mutateMessage(updated!);
        expect(await store.getMessage(alice, thread.id, snapshot.id)).toEqual(updatedSnapshot);
      });
    });

    describe('concurrency', () => {
      it('gives 20 concurrent appends to one thread the distinct sequences 0..19', async () => {
        const alice = await user();
        const thread = await store.createThread(alice, newThread());
        const messages = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            store.appendMessage(
              alice,
              thread.id,
              newMessage({ parts: [{ type: 'text', text: `concurrent ${index}` }] }),
            ),
          ),
        );

        expect(messages.map((message) => message.sequence).sort((a, b) => a - b)).toEqual(
          range(0, 20),
        );
        // Twenty first turns: versions of one another, in sequence order.
        const stored = await store.listChildren(alice, thread.id, null);
        expect(stored.map((message) => message.sequence)).toEqual(range(0, 20));
        expect(new Set(stored.map((message) => message.id))).toEqual(
          new Set(messages.map((message) => message.id)),
        );
        // Time moves forward with the sequence, and the thread's activity is its newest message.
        for (let index = 1; index < stored.length; index++) {
          expect(Date.parse(stored[index]!.createdAt)).toBeGreaterThanOrEqual(
            Date.parse(stored[index - 1]!.createdAt),
          );
        }
        const after = await store.getThread(alice, thread.id);
        expect(Date.parse(after!.lastActivityAt)).toBeGreaterThanOrEqual(
          Date.parse(stored.at(-1)!.createdAt),
        );
      });

      it('keeps concurrent appends to different threads apart', async () => {
        const alice = await user();
        const bob = await user();
        const aliceThread = await store.createThread(alice, newThread());
        const bobThread = await store.createThread(bob, newThread());
        await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            index % 2 === 0
              ? store.appendMessage(alice, aliceThread.id, newMessage())
              : store.appendMessage(bob, bobThread.id, newMessage()),
          ),
        );
        const alicePage = await store.listChildren(alice, aliceThread.id, null);
        const bobPage = await store.listChildren(bob, bobThread.id, null);
        expect(alicePage.map((message) => message.sequence)).toEqual(range(0, 5));
        expect(bobPage.map((message) => message.sequence)).toEqual(range(0, 5));
      });
    });

    describeRequestsOverStore(() => store, user);

    describe('JSON round trip', () => {
      it('stores parts and metadata exactly', async () => {
        const alice = await user();
        const metadata = {
          nested: { deeper: { deepest: ['x', { y: 'z' }] } },
          list: [1, 'two', true, null, { three: 3 }, []],
          integer: 42,
          negative: -7,
          float: -12.375,
          tiny: 1e-7,
          large: 9_007_199_254_740_991,
          yes: true,
          no: false,
          nothing: null,
          empty: {},
          emptyList: [],
          text: 'quotes " \' ` and \\ backslash',
          'key with spaces & ünïcödé 🔑': 'value',
        };
        const title = 'Ünïcödé 👩‍👩‍👧 "title"';
        const thread = await store.createThread(alice, newThread({ title, metadata }));
        expect(thread).toMatchObject({ title, metadata });
        expect(await store.getThread(alice, thread.id)).toMatchObject({ title, metadata });
        expect((await store.listThreads(alice, { limit: 1 })).items[0]).toMatchObject({
          title,
          metadata,
        });

        const parts: Part[] = [
          {
            type: 'text',
            text: 'Héllo wörld — 你好, мир! 🎉🚀 👩🏽‍💻\nline two\r\nline\tthree\n\n"double" \'single\' `back` \\ /',
          },
          { type: 'reasoning', text: 'Step 1: think.\nStep 2: ∑ x² ≤ ∞' },
          {
            type: 'file',
            mediaType: 'image/png',
            url: 'data:image/png;base64,iVBORw0KGgo=',
            filename: 'pïcture "1".png',
            size: 1234,
          },
          { type: 'source', url: 'https://example.com/a?b=c&d=e#f', title: 'Ex"ample', id: 's1' },
          { type: 'text', text: '' },
        ];
        const message = await store.appendMessage(
          alice,
          thread.id,
          newMessage({ parts, metadata }),
        );
        expect(message.parts).toEqual(parts);
        expect(message.metadata).toEqual(metadata);

        const stored = await store.getMessage(alice, thread.id, message.id);
        expect(stored!.parts).toEqual(parts);
        expect(stored!.metadata).toEqual(metadata);
        expect(messageSchema.parse(stored)).toEqual(stored);

        const listed = await store.listMessages(alice, thread.id, { limit: 1 });
        expect(listed!.items[0]!.parts).toEqual(parts);
        expect(listed!.items[0]!.metadata).toEqual(metadata);

        const reversed = [...parts].reverse();
        const updated = await store.updateMessage(alice, thread.id, message.id, {
          parts: reversed,
        });
        expect(updated!.parts).toEqual(reversed);
        expect((await store.getMessage(alice, thread.id, message.id))!.parts).toEqual(reversed);
      });
    });
  });
}

function anonymousUser(): ChatScope {
  return { userId: uniqueId('user') };
}

function uniqueId(prefix: string): string {
  return `${prefix}-${globalThis.crypto.randomUUID()}`;
}

function newThread(overrides: Partial<NewThread> = {}): NewThread {
  return { id: uniqueId('thread'), title: 'A thread', model: null, metadata: {}, ...overrides };
}

function newMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  return {
    id: uniqueId('message'),
    parentId: null,
    role: 'user',
    authorId: null,
    parts: [{ type: 'text', text: 'Hi' }],
    status: 'complete',
    model: null,
    metadata: {},
    ...overrides,
  };
}

/** Appends `count` messages, each answering the one before: one branch. */
async function appendChain(
  store: ChatStore,
  scope: ChatScope,
  threadId: string,
  count: number,
): Promise<Message[]> {
  const chain: Message[] = [];
  for (let index = 0; index < count; index++) {
    chain.push(
      await store.appendMessage(
        scope,
        threadId,
        newMessage({
          parentId: chain.at(-1)?.id ?? null,
          role: index % 2 === 0 ? 'user' : 'assistant',
          parts: [{ type: 'text', text: `message ${index}` }],
        }),
      ),
    );
  }
  return chain;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, index) => start + index);
}

async function collectThreadPages(
  store: ChatStore,
  scope: ChatScope,
  limit: number,
): Promise<Thread[][]> {
  const pages: Thread[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listThreads(scope, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 100) throw new Error('listThreads never ran out of pages.');
  } while (cursor);
  return pages;
}

function mutateThread(thread: Thread): void {
  thread.title = 'Mutated';
  thread.archived = !thread.archived;
  thread.metadata.injected = 'yes';
  const nested = thread.metadata.nested as { value?: number } | undefined;
  if (nested) nested.value = 99;
  const list = thread.metadata.list as unknown[] | undefined;
  list?.push('extra');
}

function mutateMessage(message: Message): void {
  message.status = 'cancelled';
  message.sequence = 999;
  message.parts.push({ type: 'text', text: 'injected' });
  const first = message.parts[0];
  if (first?.type === 'text') first.text = 'mutated';
  message.metadata.injected = 'yes';
  const nested = message.metadata.nested as { value?: number } | undefined;
  if (nested) nested.value = 99;
  if (message.usage) message.usage.inputTokens = 999;
}

function expectConfabError(error: unknown, code: ErrorCode): void {
  expect(ConfabError.isInstance(error), `expected a ConfabError, got ${String(error)}`).toBe(true);
  expect((error as ConfabError).code).toBe(code);
}

async function expectError(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    expectConfabError(error, code);
    return;
  }
  expect.fail(`expected a rejection with ${code}, got ${JSON.stringify(result)}`);
}
