// @confab/core's thread controller on a branched thread, against the real handler in-process:
// what the controller shows is what a reload shows and what the model is given.
import {
  type ChatBackend,
  ChatClient,
  httpBackend,
  type Message,
  messageText,
  type ThreadController,
  type ThreadState,
} from '@confab/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sqliteStore } from '../sqlite/sqlite-store';
import type { ChatStore } from '../store/chat-store';
import { memoryStore } from '../store/memory-store';
import { countingModel } from '../testing/counting-model';
import { testApp } from '../testing/test-app';

type App = ReturnType<typeof testApp>;

function backendOf(app: App, user = 'ada'): ChatBackend {
  return httpBackend({
    baseUrl: 'http://localhost/api/chat',
    headers: { 'x-confab-user': user },
    fetch: (input, init) => app.handler(new Request(input, init)),
  });
}

const texts = (messages: readonly Message[]) => messages.map((message) => messageText(message));

/** The versions of the messages shown (a client may know more of them than a page names). */
function shownVersions(state: ThreadState) {
  return Object.fromEntries(
    state.messages.flatMap((message) => {
      const ids = state.versions[message.id];
      return ids ? [[message.id, ids]] : [];
    }),
  );
}

/** What a fresh client (a reload) shows of the thread. */
async function reloaded(app: App, threadId: string, pageSize = 50) {
  const controller = new ChatClient({ backend: backendOf(app), pageSize }).thread(threadId);
  await controller.load();
  while (controller.getSnapshot().hasOlder) await controller.loadOlder();
  return controller.getSnapshot();
}

/** Resolves once the controller shows these texts (live events arrive on their own). */
function untilShown(controller: ThreadController, expected: string[]): Promise<void> {
  return vi.waitFor(
    () => {
      const { messages } = controller.getSnapshot();
      expect(texts(messages)).toEqual(expected);
      expect(messages.at(-1)?.status).toBe('complete');
    },
    { timeout: 5000, interval: 5 },
  );
}

const clients: ChatClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) {
    for (const threadId of client.threadIds) client.forget(threadId);
  }
});

const stores: [string, () => Promise<ChatStore>][] = [
  ['memory', async () => memoryStore()],
  ['SQLite', () => sqliteStore({ filename: ':memory:' })],
];

describe.each(stores)('a thread as a tree in the client, on %s', (_name, createStore) => {
  async function setup(options: { live?: boolean; pageSize?: number } = {}) {
    const model = countingModel();
    const app = testApp({ model, store: await createStore() });
    const thread = await app.createThread();
    const client = new ChatClient({ backend: backendOf(app), ...options });
    clients.push(client);
    const controller = client.thread(thread.id);
    await controller.load();
    return { app, model, thread, client, controller };
  }

  it('regenerates an earlier answer: the branch follows it, the old one is a version', async () => {
    const { app, thread, controller, model } = await setup();
    await controller.send('q1');
    await controller.send('q2');
    const [, a1] = controller.getSnapshot().messages;
    expect(texts(controller.getSnapshot().messages)).toEqual(['q1', '1: q1', 'q2', '2: q2']);

    const answer = await controller.regenerate(a1!.id);
    const state = controller.getSnapshot();
    expect(texts(state.messages)).toEqual(['q1', '3: q1']);
    expect(state.versions[answer!.id]).toEqual([a1!.id, answer!.id]);
    expect(model.seen.at(-1)).toEqual(['q1']);
    const reload = await reloaded(app, thread.id);
    expect(texts(reload.messages)).toEqual(texts(state.messages));
    expect(shownVersions(reload)).toEqual(shownVersions(state));

    // Back to the first answer: its continuation comes with it, and a reload agrees.
    await controller.selectVersion(a1!.id);
    expect(texts(controller.getSnapshot().messages)).toEqual(['q1', '1: q1', 'q2', '2: q2']);
    expect(texts((await reloaded(app, thread.id)).messages)).toEqual([
      'q1',
      '1: q1',
      'q2',
      '2: q2',
    ]);
  });

  it('edits a question into a new branch, answered from the edited context', async () => {
    const { app, thread, controller, model } = await setup();
    await controller.send('q1');
    await controller.send('q2');
    const q2 = controller.getSnapshot().messages[2]!;
    await controller.edit(q2.id, 'q2, edited');
    const state = controller.getSnapshot();
    expect(texts(state.messages)).toEqual(['q1', '1: q1', 'q2, edited', '3: q2, edited']);
    expect(state.versions[state.messages[2]!.id]).toEqual([q2.id, state.messages[2]!.id]);
    expect(model.seen.at(-1)).toEqual(['q1', '1: q1', 'q2, edited']);
    expect(texts((await reloaded(app, thread.id)).messages)).toEqual(texts(state.messages));
    // The next send follows the edited branch.
    await controller.send('q3');
    expect(model.seen.at(-1)).toEqual(['q1', '1: q1', 'q2, edited', '3: q2, edited', 'q3']);
  });

  it('edits the first question: a new root beside the old one', async () => {
    const { controller } = await setup();
    await controller.send('q1');
    const q1 = controller.getSnapshot().messages[0]!;
    await controller.edit(q1.id, 'q1b');
    const state = controller.getSnapshot();
    expect(texts(state.messages)).toEqual(['q1b', '2: q1b']);
    expect(state.versions[state.messages[0]!.id]).toHaveLength(2);
  });

  it('deletes a message with what follows it, from the branch and from the context', async () => {
    const { app, thread, controller, model } = await setup();
    await controller.send('q1');
    await controller.send('q2');
    await controller.send('q3');
    const q2 = controller.getSnapshot().messages[2]!;
    await controller.deleteMessage(q2.id);
    expect(texts(controller.getSnapshot().messages)).toEqual(['q1', '1: q1']);
    expect(texts((await reloaded(app, thread.id)).messages)).toEqual(['q1', '1: q1']);
    await controller.send('q4');
    expect(model.seen.at(-1)).toEqual(['q1', '1: q1', 'q4']);
  });

  it('deleting the shown version shows the next one the server picks', async () => {
    const { controller } = await setup();
    await controller.send('q1');
    const a1 = controller.getSnapshot().messages[1]!;
    const a1b = await controller.regenerate(a1.id);
    await controller.deleteMessage(a1b!.id);
    const state = controller.getSnapshot();
    expect(state.messages.map((message) => message.id)).toEqual([state.messages[0]!.id, a1.id]);
    expect(state.versions).toEqual({});
  });

  it('a failed delete puts the branch back and says why', async () => {
    const { app, thread, controller } = await setup();
    await controller.send('q1');
    const before = controller.getSnapshot().messages;
    await app.call('DELETE', `/threads/${thread.id}/messages/${before[1]!.id}`);
    await controller.deleteMessage(before[1]!.id);
    expect(controller.getSnapshot().messages).toEqual(before);
    expect(controller.getSnapshot().error?.code).toBe('not_found');
  });

  it('pages up the current branch only, with the versions of each page', async () => {
    const { app, thread, controller } = await setup({ pageSize: 2 });
    for (const text of ['q1', 'q2', 'q3']) await controller.send(text);
    const a1 = controller.getSnapshot().messages[1]!;
    await controller.regenerate(a1.id);
    await controller.send('q4');
    const reload = await reloaded(app, thread.id, 2);
    expect(texts(reload.messages)).toEqual(['q1', '4: q1', 'q4', '5: q4']);
    expect(reload.versions[reload.messages[1]!.id]).toEqual([a1.id, reload.messages[1]!.id]);
  });

  it('a second tab follows edits, regenerations and version switches', async () => {
    const { app, thread, controller } = await setup();
    await controller.send('q1');
    await controller.send('q2');
    const otherClient = new ChatClient({ backend: backendOf(app), live: true });
    clients.push(otherClient);
    const other = otherClient.thread(thread.id);
    const stop = other.subscribe(() => {});
    try {
      await untilShown(other, ['q1', '1: q1', 'q2', '2: q2']);
      const a1 = controller.getSnapshot().messages[1]!;
      await controller.regenerate(a1.id);
      await untilShown(other, ['q1', '3: q1']);
      expect(shownVersions(other.getSnapshot())).toEqual(shownVersions(controller.getSnapshot()));

      await controller.selectVersion(a1.id);
      await untilShown(other, ['q1', '1: q1', 'q2', '2: q2']);

      const q2 = controller.getSnapshot().messages[2]!;
      await controller.edit(q2.id, 'q2b');
      await untilShown(other, ['q1', '1: q1', 'q2b', '4: q2b']);
    } finally {
      stop();
      other.dispose();
    }
  });
});

describe('fork, export and import through the backend', () => {
  it('forks a branch into a new thread, exports it as named files, and imports it back', async () => {
    const app = testApp({ model: countingModel(), store: memoryStore() });
    const backend = backendOf(app);
    const thread = await backend.createThread({ title: 'Trip: Paris/Rome "2027"' });
    const controller = new ChatClient({ backend }).thread(thread.id);
    await controller.load();
    await controller.send('q1');
    await controller.send('q2');
    const a1 = controller.getSnapshot().messages[1]!;

    const fork = await backend.forkThread(thread.id, { messageId: a1.id });
    expect(fork.title).toBe(thread.title);
    expect(texts((await backend.listMessages(fork.id)).items)).toEqual(['q1', '1: q1']);

    const markdown = await backend.exportThread(thread.id, { format: 'markdown' });
    expect(markdown.name).toBe('Trip Paris Rome 2027.md');
    expect(markdown.type).toContain('text/markdown');
    expect(await markdown.text()).toContain('2: q2');

    const json = await backend.exportThread(thread.id);
    expect(json.name.endsWith('.json')).toBe(true);
    const imported = await backend.importThread(JSON.parse(await json.text()));
    expect(imported.id).not.toBe(thread.id);
    expect(texts((await backend.listMessages(imported.id)).items)).toEqual([
      'q1',
      '1: q1',
      'q2',
      '2: q2',
    ]);
    // A message named in a body that is not in the thread is bad input, at its path.
    await expect(backend.forkThread(thread.id, { messageId: 'missing' })).rejects.toMatchObject({
      status: 400,
      issues: [{ path: ['messageId'] }],
    });
    await expect(
      backendOf(app, 'grace').exportThread(thread.id, { format: 'json' }),
    ).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('the branch shown, reloaded and given to the model', () => {
  type Step =
    | { kind: 'send' }
    | { kind: 'edit'; at: number }
    | { kind: 'regenerate'; at: number }
    | { kind: 'switch'; at: number; to: number }
    | { kind: 'delete'; at: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: 'send' as const }),
    fc.record({ kind: fc.constant('edit' as const), at: fc.nat(20) }),
    fc.record({ kind: fc.constant('regenerate' as const), at: fc.nat(20) }),
    fc.record({ kind: fc.constant('switch' as const), at: fc.nat(20), to: fc.nat(5) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(20) }),
  );

  it('agree after any sequence of sends, edits, regenerations, switches and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const model = countingModel();
        const app = testApp({ model, store: memoryStore() });
        const thread = await app.createThread();
        const controller = new ChatClient({ backend: backendOf(app), pageSize: 3 }).thread(
          thread.id,
        );
        await controller.load();
        // A second tab, following the thread's events live.
        const tab = new ChatClient({ backend: backendOf(app), live: true }).thread(thread.id);
        const unfollow = tab.subscribe(() => {});
        let sent = 0;
        for (const item of steps) {
          const { messages, versions } = controller.getSnapshot();
          const pick = (role: Message['role']) => {
            const candidates = messages.filter((message) => message.role === role);
            return candidates.length === 0
              ? undefined
              : candidates[
                  item.kind === 'send' ? 0 : (item as { at: number }).at % candidates.length
                ];
          };
          if (item.kind === 'send') {
            await controller.send(`q${++sent}`);
            const branch = texts(controller.getSnapshot().messages);
            // The model was given the branch up to the question, nothing else.
            expect(model.seen.at(-1)).toEqual(branch.slice(0, -1));
          } else if (item.kind === 'edit') {
            const question = pick('user');
            if (question) await controller.edit(question.id, `q${++sent}`);
          } else if (item.kind === 'regenerate') {
            const answer = pick('assistant');
            if (answer) await controller.regenerate(answer.id);
          } else if (item.kind === 'switch') {
            const shown = messages.filter((message) => versions[message.id]);
            const message = shown[item.at % Math.max(shown.length, 1)];
            if (message) {
              const ids = versions[message.id]!;
              await controller.selectVersion(ids[item.to % ids.length]!);
            }
          } else {
            const message = messages[item.at % Math.max(messages.length, 1)];
            if (message) await controller.deleteMessage(message.id);
          }
          while (controller.getSnapshot().hasOlder) await controller.loadOlder();
          const state = controller.getSnapshot();
          expect(state.error).toBeNull();
          // The controller shows a chain of parents from the first turn…
          state.messages.forEach((message, index) => {
            expect(message.parentId).toBe(index === 0 ? null : state.messages[index - 1]!.id);
          });
          // …the one a reload shows, with the same versions.
          const reload = await reloaded(app, thread.id, 3);
          expect(reload.messages.map((message) => message.id)).toEqual(
            state.messages.map((message) => message.id),
          );
          expect(shownVersions(state)).toEqual(shownVersions(reload));
          // …and the one the second tab shows, once the events reached it.
          const ids = state.messages.map((message) => message.id);
          await vi.waitFor(
            () => {
              const shown = tab.getSnapshot().messages;
              expect(shown.map((message) => message.id)).toEqual(ids);
              expect(shown.at(-1)?.status).toBe(state.messages.at(-1)?.status);
            },
            { timeout: 5000, interval: 5 },
          );
        }
        unfollow();
        tab.dispose();
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('ChatClient releases what nothing observes', () => {
  it('drops a controller once unobserved for gcTime, not while observed or running', async () => {
    const app = testApp({ model: countingModel(), store: memoryStore() });
    const thread = await app.createThread();
    const client = new ChatClient({ backend: backendOf(app), gcTime: 30 });
    const controller = client.thread(thread.id);
    const stop = controller.subscribe(() => {});
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(client.threadIds).toEqual([thread.id]);
    stop();
    expect(client.threadIds).toEqual([thread.id]);
    await vi.waitFor(() => expect(client.threadIds).toEqual([]), { timeout: 2000 });
    // A new controller loads the thread again from the server.
    const again = client.thread(thread.id);
    expect(again).not.toBe(controller);
    client.forget(thread.id);

    const never = client.thread('never-observed');
    expect(client.threadIds).toEqual(['never-observed']);
    await vi.waitFor(() => expect(client.threadIds).toEqual([]), { timeout: 2000 });
    expect(never.getSnapshot().messages).toEqual([]);
  });
});
