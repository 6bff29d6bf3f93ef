import { describe, expect, it } from 'vitest';
import { scriptedModel } from '../testing/scripted-model';
import { testApp } from '../testing/test-app';
import type { ChatScope, ChatStore } from './chat-store';
import { encodeCursor } from './cursor';

type Issues = { path: (string | number)[] }[];

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

/**
 * Requests whose input a database could fail on, answered through the handler over the store
 * under test: the same input gets the same answer on every store (400 or 404, never 500), and
 * nothing of it is stored. Part of the conformance suite (`describeChatStore`).
 */
export function describeRequestsOverStore(
  store: () => ChatStore,
  user: () => Promise<ChatScope>,
): void {
  async function start() {
    const scope = await user();
    const app = testApp({
      store: store(),
      model: scriptedModel({ pieces: ['ok'] }),
      auth: async () => scope,
    });
    const thread = await app.createThread(scope.userId, { title: 'Kept' });
    return { ...app, scope, thread };
  }

  async function expectNothingStored(app: Awaited<ReturnType<typeof start>>) {
    const threads = await app.call('GET', '/threads');
    expect(threads.json.items.map((item: { id: string }) => item.id)).toEqual([app.thread.id]);
    expect(threads.json.items[0]).toMatchObject({ title: 'Kept', metadata: {} });
    const messages = await app.call('GET', `/threads/${app.thread.id}/messages`);
    expect(messages.json.items).toEqual([]);
  }

  describe("requests over the store: a model's output a database cannot hold", () => {
    it('stores the answer with NUL and unpaired surrogates replaced, keeping split pairs', async () => {
      const scope = await user();
      const app = testApp({
        store: store(),
        // A NUL, a lone high and a lone low surrogate, and a pair split across two deltas.
        model: scriptedModel({
          pieces: ['a\u0000b', ' \uD800x', '\uDC00 ', 'smile \uD83D', '\uDE42!'],
        }),
        auth: async () => scope,
      });
      const thread = await app.createThread(scope.userId);
      const sent = await app.send(thread.id, { text: 'Say something odd' });
      const expected = 'a\uFFFDb \uFFFDx\uFFFD smile \uD83D\uDE42!';
      expect(sent.answer).toMatchObject({ status: 'complete' });
      expect(sent.answer?.parts).toEqual([{ type: 'text', text: expected }]);
      const page = await app.call('GET', `/threads/${thread.id}/messages`);
      expect(page.json.items[1].parts).toEqual([{ type: 'text', text: expected }]);
    });
  });

  describe('requests over the store: text a database cannot hold', () => {
    const nul = 'a\u0000b';
    const lone = 'a\uD800b';
    const cases: { title: string; method: string; path: string; body: unknown; at: Issues[0] }[] = [
      {
        title: 'a NUL in a new title',
        method: 'POST',
        path: '',
        body: { title: nul },
        at: { path: ['title'] },
      },
      {
        title: 'a lone surrogate in a new title',
        method: 'POST',
        path: '',
        body: { title: lone },
        at: { path: ['title'] },
      },
      {
        title: 'a NUL in a renamed title',
        method: 'PATCH',
        path: ':thread',
        body: { title: nul },
        at: { path: ['title'] },
      },
      {
        title: 'a NUL in a nested metadata value',
        method: 'POST',
        path: '',
        body: { metadata: { a: { b: [1, nul] } } },
        at: { path: ['metadata', 'a', 'b', 1] },
      },
      {
        title: 'a lone surrogate in a metadata key',
        method: 'PATCH',
        path: ':thread',
        body: { metadata: { a: { [lone]: 1 } } },
        at: { path: ['metadata', 'a', lone] },
      },
      {
        title: 'a NUL in message text',
        method: 'POST',
        path: ':thread/messages',
        body: { text: nul },
        at: { path: ['text'] },
      },
      {
        title: 'a low surrogate alone in a text part',
        method: 'POST',
        path: ':thread/messages',
        body: { parts: [{ type: 'text', text: 'x\uDC00' }] },
        at: { path: ['parts', 0, 'text'] },
      },
      {
        title: 'a NUL in a file url',
        method: 'POST',
        path: ':thread/messages',
        body: { parts: [{ type: 'file', mediaType: 'image/png', url: `data:${nul}` }] },
        at: { path: ['parts', 0, 'url'] },
      },
      {
        title: 'a lone surrogate in a file name',
        method: 'POST',
        path: ':thread/messages',
        body: {
          parts: [
            { type: 'file', mediaType: 'image/png', url: 'https://x.test/a.png', filename: lone },
          ],
        },
        at: { path: ['parts', 0, 'filename'] },
      },
      {
        title: 'a NUL in message metadata',
        method: 'POST',
        path: ':thread/messages',
        body: { text: 'hi', metadata: { deep: { er: nul } } },
        at: { path: ['metadata', 'deep', 'er'] },
      },
    ];

    for (const testCase of cases) {
      it(`answers 400 at the field for ${testCase.title}, storing nothing`, async () => {
        const app = await start();
        try {
          const path = `/threads${testCase.path ? `/${testCase.path.replace(':thread', app.thread.id)}` : ''}`;
          const result = await app.call(testCase.method, path, { body: testCase.body });
          expect(result.status).toBe(400);
          expect(result.json.error.code).toBe('invalid_request');
          expect((result.json.error.issues as Issues).map((issue) => issue.path)).toContainEqual(
            testCase.at.path,
          );
          await expectNothingStored(app);
        } finally {
          await app.handler.close();
        }
      });
    }

    it('keeps well-formed text exactly, surrogate pairs included', async () => {
      const app = await start();
      try {
        const title = 'Grinning \uD83D\uDE00 and 👩‍👩‍👧';
        const created = await app.call('POST', '/threads', {
          body: { title, metadata: { [title]: [title] } },
        });
        expect(created.status).toBe(201);
        const stored = await app.call('GET', `/threads/${created.json.id}`);
        expect(stored.json).toMatchObject({ title, metadata: { [title]: [title] } });
      } finally {
        await app.handler.close();
      }
    });
  });

  describe('requests over the store: deeply nested metadata', () => {
    const deep = [
      {
        title: 'objects 5,000 deep',
        raw: `{"metadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      },
      {
        title: 'arrays 5,000 deep',
        raw: `{"metadata":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
      },
      {
        title: 'one level too deep',
        raw: JSON.stringify({ metadata: nested(33, (inner) => ({ a: inner })) }),
      },
    ];
    for (const { title, raw } of deep) {
      it(`answers 400 for ${title}, on a new thread and on a message`, async () => {
        const app = await start();
        try {
          const headers = { 'content-type': 'application/json' };
          const created = await app.call('POST', '/threads', { raw, headers });
          const message = raw.replace('{"metadata"', '{"text":"hi","metadata"');
          const sent = await app.call('POST', `/threads/${app.thread.id}/messages`, {
            raw: message,
            headers,
          });
          for (const result of [created, sent]) {
            expect(result.status).toBe(400);
            expect(result.json.error.code).toBe('invalid_request');
            expect(result.json.error.issues[0].path[0]).toBe('metadata');
          }
          await expectNothingStored(app);
        } finally {
          await app.handler.close();
        }
      });
    }

    it('accepts metadata 32 levels deep', async () => {
      const app = await start();
      try {
        const metadata = nested(32, (inner) => ({ a: inner })) as Record<string, unknown>;
        const created = await app.call('POST', '/threads', { body: { metadata } });
        expect(created.status).toBe(201);
        expect(created.json.metadata).toEqual(metadata);
      } finally {
        await app.handler.close();
      }
    });
  });

  describe('requests over the store: ids and cursors no page or thread can have', () => {
    it('answers 404 for a path id outside the id alphabet, as for a thread that never existed', async () => {
      const app = await start();
      try {
        const missing = await app.call('GET', '/threads/never-existed');
        const attempts = [
          ['GET', '/threads/%00'],
          ['GET', '/threads/abc%00def'],
          ['GET', '/threads/abc%00def/messages'],
          ['PATCH', '/threads/%00'],
          ['DELETE', '/threads/%F0%9F%98%80'],
          ['POST', '/threads/%00/messages'],
          ['POST', '/threads/%00/stop'],
          ['GET', `/threads/${'x'.repeat(129)}`],
        ];
        for (const [method, path] of attempts) {
          const body = method === 'GET' || method === 'DELETE' ? undefined : { text: 'hi' };
          const result = await app.call(method!, path!, { body });
          expect(result.status, `${method} ${path}`).toBe(404);
          expect(result.json.error).toEqual(missing.json.error);
        }
        const message = await app.call(
          'POST',
          `/threads/${app.thread.id}/messages/bad%00id/regenerate`,
        );
        expect(message.status).toBe(404);
        expect(message.json.error.code).toBe('not_found');
        await expectNothingStored(app);
      } finally {
        await app.handler.close();
      }
    });

    it('answers 400 for cursors out of range or of impossible dates', async () => {
      const app = await start();
      try {
        const threadCursors = [
          encodeCursor(['2026-02-31T00:00:00.000Z', app.thread.id]),
          encodeCursor(['99999-01-01T00:00:00.000Z', app.thread.id]),
          encodeCursor(['2026-01-01T00:00:00.000Z', 'a\u0000b']),
        ];
        for (const cursor of threadCursors) {
          const result = await app.call('GET', `/threads?cursor=${cursor}`);
          expect(result.status).toBe(400);
          expect(result.json.error.code).toBe('invalid_request');
        }
        for (const before of [
          encodeCursor([2 ** 31]),
          encodeCursor([2 ** 63]),
          encodeCursor([1e300]),
          encodeCursor([-1]),
          encodeCursor([0.5]),
          '%00',
        ]) {
          const result = await app.call(
            'GET',
            `/threads/${app.thread.id}/messages?before=${before}`,
          );
          expect(result.status, before).toBe(400);
          expect(result.json.error.code).toBe('invalid_request');
        }
      } finally {
        await app.handler.close();
      }
    });
  });

  describe('requests over the store: ids another user chose first', () => {
    // Thread ids are global: a taken one answers the same 409 whether the caller or somebody
    // else holds it, and the answer carries nothing of the thread (no title, owner or time).
    it("answers the same 409 for another user's thread id as for one's own, revealing nothing", async () => {
      const ada = await start();
      const bob = await start();
      try {
        const secret = await ada.call('POST', '/threads', {
          body: { id: `secret-${crypto.randomUUID()}`, title: 'Secret plans' },
        });
        const own = await ada.call('POST', '/threads', { body: { id: secret.json.id } });
        const theirs = await bob.call('POST', '/threads', {
          body: { id: secret.json.id, title: 'Mine?' },
        });
        expect([own.status, theirs.status]).toEqual([409, 409]);
        expect(theirs.text).toBe(own.text);
        expect(theirs.text).not.toContain('Secret');
        expect(theirs.text).not.toContain(ada.scope.userId);
        expect((await bob.call('GET', `/threads/${secret.json.id}`)).status).toBe(404);
        expect((await ada.call('GET', `/threads/${secret.json.id}`)).json.title).toBe(
          'Secret plans',
        );
      } finally {
        await ada.handler.close();
        await bob.handler.close();
      }
    });

    it("stores a send whose message id another user's thread already uses", async () => {
      const ada = await start();
      const bob = await start();
      try {
        const id = `shared-${crypto.randomUUID()}`;
        const json = { accept: 'application/json' };
        const first = await ada.call('POST', `/threads/${ada.thread.id}/messages`, {
          body: { id, text: 'Ada asks' },
          headers: json,
        });
        const second = await bob.call('POST', `/threads/${bob.thread.id}/messages`, {
          body: { id, text: 'Bob asks' },
          headers: json,
        });
        expect([first.status, second.status]).toEqual([200, 200]);
        expect(second.json.userMessage).toMatchObject({ id, threadId: bob.thread.id });
        const adas = await ada.call('GET', `/threads/${ada.thread.id}/messages`);
        const bobs = await bob.call('GET', `/threads/${bob.thread.id}/messages`);
        expect(adas.json.items[0]).toMatchObject({
          id,
          parts: [{ type: 'text', text: 'Ada asks' }],
        });
        expect(bobs.json.items[0]).toMatchObject({
          id,
          parts: [{ type: 'text', text: 'Bob asks' }],
        });
      } finally {
        await ada.handler.close();
        await bob.handler.close();
      }
    });
  });
}
