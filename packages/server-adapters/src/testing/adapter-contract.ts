import { describe, expect, it } from 'vitest';
import type { ChatHandler } from '../handler/create-chat-handler';
import { scriptedModel } from './scripted-model';
import { testApp } from './test-app';

/** Serves a handler through an adapter; `fetch` takes requests addressed to http://localhost. */
export type AdapterSetup = (handler: ChatHandler) => Promise<{
  fetch: (request: Request) => Promise<Response>;
  close: () => Promise<void>;
}>;

/**
 * Bad input and tenant isolation, as seen through an adapter. Every adapter (the bare handler,
 * Express, and later ones) runs this same suite.
 */
export function describeAdapterContract(name: string, setup: AdapterSetup) {
  async function start(options: Parameters<typeof testApp>[0] = {}) {
    const app = testApp({ model: scriptedModel({ pieces: ['ok'] }), ...options });
    const served = await setup(app.handler);
    async function call(
      method: string,
      path: string,
      call: Parameters<typeof app.request>[2] = {},
    ) {
      const response = await served.fetch(app.request(method, path, call));
      const text = await response.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, json, text };
    }
    return { ...app, call, close: served.close };
  }

  describe(`${name}: bad input`, () => {
    const cases: {
      title: string;
      method: string;
      path: (threadId: string) => string;
      options?: Parameters<ReturnType<typeof testApp>['request']>[2];
      status: number;
      code: string;
      issuePath?: (string | number)[];
    }[] = [
      {
        title: 'malformed JSON',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { raw: '{"text": "hi"', headers: { 'content-type': 'application/json' } },
        status: 400,
        code: 'invalid_json',
      },
      {
        title: 'a wrong type',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: 42 } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['text'],
      },
      {
        title: 'a missing field',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: {} },
        status: 400,
        code: 'invalid_request',
        issuePath: ['text'],
      },
      {
        title: 'an empty message',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: '   ' } },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'an unknown field',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: 'hi', colour: 'red' } },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'a bad part',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { parts: [{ type: 'text' }] } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['parts', 0, 'text'],
      },
      {
        title: 'a malformed message id',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { id: 'no spaces!', text: 'hi' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['id'],
      },
      {
        title: 'an unknown model',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: 'hi', model: 'gpt-17' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['model'],
      },
      {
        title: 'a parent from nowhere',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: 'hi', parentId: 'nope' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['parentId'],
      },
      {
        title: 'a body that is not JSON',
        method: 'POST',
        path: () => '/threads',
        options: {
          raw: 'title=hi',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        title: 'a JSON array as body',
        method: 'POST',
        path: () => '/threads',
        options: { raw: '[]', headers: { 'content-type': 'application/json' } },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'an empty patch',
        method: 'PATCH',
        path: (id) => `/threads/${id}`,
        options: { body: {} },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'a title of the wrong type',
        method: 'PATCH',
        path: (id) => `/threads/${id}`,
        options: { body: { title: ['a'] } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['title'],
      },
      {
        title: 'a limit out of range',
        method: 'GET',
        path: () => '/threads?limit=1000',
        status: 400,
        code: 'invalid_request',
        issuePath: ['limit'],
      },
      {
        title: 'a limit that is not a number',
        method: 'GET',
        path: (id) => `/threads/${id}/messages?limit=ten`,
        status: 400,
        code: 'invalid_request',
        issuePath: ['limit'],
      },
      {
        title: 'a forged cursor',
        method: 'GET',
        path: () => '/threads?cursor=bm90LWEtY3Vyc29y',
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'a forged before cursor',
        method: 'GET',
        path: (id) => `/threads/${id}/messages?before=%%%`,
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'an unknown route',
        method: 'GET',
        path: () => '/nothing/here',
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a wrong method',
        method: 'PUT',
        path: (id) => `/threads/${id}`,
        options: { body: { title: 'x' } },
        status: 405,
        code: 'method_not_allowed',
      },
      {
        title: 'an unknown thread',
        method: 'GET',
        path: () => '/threads/does-not-exist',
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a send to an unknown thread',
        method: 'POST',
        path: () => '/threads/does-not-exist/messages',
        options: { body: { text: 'hi' } },
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a regeneration in an unknown thread',
        method: 'POST',
        path: () => '/threads/does-not-exist/messages/some-answer/regenerate',
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a regeneration of an unknown message',
        method: 'POST',
        path: (id) => `/threads/${id}/messages/does-not-exist/regenerate`,
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a regeneration with an unknown field',
        method: 'POST',
        path: (id) => `/threads/${id}/messages/does-not-exist/regenerate`,
        options: { body: { temperature: 2 } },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'a NUL in a title (no store could keep it the same)',
        method: 'PATCH',
        path: (id) => `/threads/${id}`,
        options: { body: { title: 'a\u0000b' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['title'],
      },
      {
        title: 'a lone surrogate in message text',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: { body: { text: 'a\uD800' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['text'],
      },
      {
        title: 'metadata nested 5,000 deep',
        method: 'POST',
        path: (id) => `/threads/${id}/messages`,
        options: {
          raw: `{"text":"hi","metadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
          headers: { 'content-type': 'application/json' },
        },
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'a NUL in a path id',
        method: 'GET',
        path: () => '/threads/abc%00def/messages',
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a message cursor out of range',
        method: 'GET',
        path: (id) => `/threads/${id}/messages?before=WzFlMzAwXQ`,
        status: 400,
        code: 'invalid_request',
      },
      {
        title: 'an AI SDK chat request without messages',
        method: 'POST',
        path: () => '/ui-message-stream',
        options: { body: { id: 'chat-1', trigger: 'submit-message', messages: [] } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['messages'],
      },
      {
        title: 'a stop of an unknown thread',
        method: 'POST',
        path: () => '/threads/does-not-exist/stop',
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a leaf that is not in the thread',
        method: 'PUT',
        path: (id) => `/threads/${id}/leaf`,
        options: { body: { messageId: 'does-not-exist' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['messageId'],
      },
      {
        title: 'a leaf with a malformed id',
        method: 'PUT',
        path: (id) => `/threads/${id}/leaf`,
        options: { body: { messageId: 'a\u0000b' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['messageId'],
      },
      {
        title: 'a delete of an unknown message',
        method: 'DELETE',
        path: (id) => `/threads/${id}/messages/does-not-exist`,
        status: 404,
        code: 'not_found',
      },
      {
        title: 'the versions of an unknown message',
        method: 'GET',
        path: (id) => `/threads/${id}/messages/does-not-exist/versions`,
        status: 404,
        code: 'not_found',
      },
      {
        title: 'a fork from a message that is not in the thread',
        method: 'POST',
        path: (id) => `/threads/${id}/fork`,
        options: { body: { messageId: 'does-not-exist' } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['messageId'],
      },
      {
        title: 'an export in an unknown format',
        method: 'GET',
        path: (id) => `/threads/${id}/export?format=docx`,
        status: 400,
        code: 'invalid_request',
        issuePath: ['format'],
      },
      {
        title: 'an import that is not an export',
        method: 'POST',
        path: () => '/thread-imports',
        options: { body: { messages: [] } },
        status: 400,
        code: 'invalid_request',
        issuePath: ['format'],
      },
    ];

    for (const testCase of cases) {
      it(`answers ${testCase.status} ${testCase.code} for ${testCase.title}`, async () => {
        const app = await start();
        try {
          const thread = await app.createThread();
          const result = await app.call(
            testCase.method,
            testCase.path(thread.id),
            testCase.options,
          );
          expect(result.status).toBe(testCase.status);
          expect(result.headers.get('content-type')).toContain('application/json');
          expect(result.json.error.code).toBe(testCase.code);
          expect(typeof result.json.error.message).toBe('string');
          if (testCase.issuePath) {
            expect(
              result.json.error.issues.map((issue: { path: unknown }) => issue.path),
            ).toContainEqual(testCase.issuePath);
          }
          // Nothing was stored by the refused request, and the server still works.
          const messages = await app.call('GET', `/threads/${thread.id}/messages`);
          expect(messages.json.items).toEqual([]);
          expect((await app.call('GET', '/health')).status).toBe(200);
        } finally {
          await app.close();
        }
      });
    }

    it('says which methods are allowed on 405', async () => {
      const app = await start();
      try {
        const result = await app.call('DELETE', '/threads');
        expect(result.status).toBe(405);
        expect(result.headers.get('allow')).toBe('GET, POST');
      } finally {
        await app.close();
      }
    });

    it('answers 413 for a body over the limit, declared or streamed', async () => {
      const app = await start({ limits: { maxBodyBytes: 1000 } });
      try {
        const thread = await app.createThread();
        const big = await app.call('POST', `/threads/${thread.id}/messages`, {
          body: { text: 'x'.repeat(5000) },
        });
        expect(big.status).toBe(413);
        expect(big.json.error.code).toBe('payload_too_large');
        const encoder = new TextEncoder();
        const streamed = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('{"text":"'));
            for (let index = 0; index < 10; index++)
              controller.enqueue(encoder.encode('y'.repeat(500)));
            controller.enqueue(encoder.encode('"}'));
            controller.close();
          },
        });
        const chunked = await app.call('POST', `/threads/${thread.id}/messages`, {
          raw: streamed,
          headers: { 'content-type': 'application/json' },
        });
        expect(chunked.status).toBe(413);
        expect((await app.call('GET', `/threads/${thread.id}/messages`)).json.items).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it('answers 413 for a message longer than the text limit', async () => {
      const app = await start({ limits: { maxMessageChars: 10 } });
      try {
        const thread = await app.createThread();
        const result = await app.call('POST', `/threads/${thread.id}/messages`, {
          body: { text: 'x'.repeat(11) },
        });
        expect(result.status).toBe(413);
      } finally {
        await app.close();
      }
    });
  });

  describe(`${name}: the AI SDK's UI message stream`, () => {
    it('streams an answer in the UI message stream protocol and resumes nothing once it is done', async () => {
      const app = await start();
      try {
        const sent = await app.call('POST', '/ui-message-stream', {
          body: {
            id: 'ai-sdk-chat',
            trigger: 'submit-message',
            messages: [{ id: 'q-1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
          },
        });
        expect(sent.status).toBe(200);
        expect(sent.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
        const data = sent.text
          .split('\n\n')
          .filter((event) => event.startsWith('data: '))
          .map((event) => event.slice('data: '.length));
        expect(data.at(-1)).toBe('[DONE]');
        const types = data.slice(0, -1).map((event) => JSON.parse(event).type);
        expect(types).toEqual(['start', 'text-start', 'text-delta', 'text-end', 'finish']);
        const resumed = await app.call('GET', '/ui-message-stream/ai-sdk-chat/stream');
        expect(resumed.status).toBe(204);
        const stored = await app.call('GET', '/threads/ai-sdk-chat/messages');
        expect(stored.json.items.map((message: { id: string }) => message.id)[0]).toBe('q-1');
      } finally {
        await app.close();
      }
    });
  });

  describe(`${name}: tenant isolation`, () => {
    it("hides one user's thread from another on every route (404) and leaves it untouched", async () => {
      const app = await start();
      try {
        const thread = await app.createThread('ada', { title: 'Private' });
        const sent = await app.call('POST', `/threads/${thread.id}/messages`, {
          user: 'ada',
          body: { id: 'ada-1', text: 'secret' },
          headers: { accept: 'application/json' },
        });
        const answerId: string = sent.json.message.id;
        const before = await app.call('GET', `/threads/${thread.id}/messages`, { user: 'ada' });

        const attempts = [
          await app.call('GET', `/threads/${thread.id}`, { user: 'bob' }),
          await app.call('PATCH', `/threads/${thread.id}`, {
            user: 'bob',
            body: { title: 'Mine now' },
          }),
          await app.call('DELETE', `/threads/${thread.id}`, { user: 'bob' }),
          await app.call('GET', `/threads/${thread.id}/messages`, { user: 'bob' }),
          await app.call('POST', `/threads/${thread.id}/messages`, {
            user: 'bob',
            body: { text: 'hi' },
          }),
          await app.call('POST', `/threads/${thread.id}/messages`, {
            user: 'bob',
            body: { id: 'ada-1', text: 'replay?' },
          }),
          await app.call('POST', `/threads/${thread.id}/messages/${answerId}/regenerate`, {
            user: 'bob',
          }),
          await app.call('POST', `/threads/${thread.id}/stop`, { user: 'bob' }),
          await app.call('DELETE', `/threads/${thread.id}/messages/${answerId}`, { user: 'bob' }),
          await app.call('GET', `/threads/${thread.id}/messages/${answerId}/versions`, {
            user: 'bob',
          }),
          await app.call('PUT', `/threads/${thread.id}/leaf`, {
            user: 'bob',
            body: { messageId: answerId },
          }),
          await app.call('POST', `/threads/${thread.id}/fork`, {
            user: 'bob',
            body: { messageId: answerId },
          }),
          await app.call('GET', `/threads/${thread.id}/export`, { user: 'bob' }),
          await app.call('GET', `/threads/${thread.id}/export?format=markdown`, { user: 'bob' }),
          await app.call('POST', '/ui-message-stream', {
            user: 'bob',
            body: {
              id: thread.id,
              trigger: 'submit-message',
              messages: [{ id: 'bob-1', role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
            },
          }),
        ];
        for (const attempt of attempts) {
          expect(attempt.status).toBe(404);
          expect(attempt.json.error.code).toBe('not_found');
        }
        const bobs = await app.call('GET', '/threads', { user: 'bob' });
        expect(bobs.json.items).toEqual([]);

        const after = await app.call('GET', `/threads/${thread.id}/messages`, { user: 'ada' });
        expect(after.json).toEqual(before.json);
        expect((await app.call('GET', `/threads/${thread.id}`, { user: 'ada' })).json.title).toBe(
          'Private',
        );
      } finally {
        await app.close();
      }
    });

    it("answers the same 404 for another user's thread as for one that never existed", async () => {
      const app = await start();
      try {
        const thread = await app.createThread('ada');
        const theirs = await app.call('GET', `/threads/${thread.id}`, { user: 'bob' });
        const nobodys = await app.call('GET', '/threads/never-existed', { user: 'bob' });
        expect(theirs.status).toBe(nobodys.status);
        expect(theirs.json.error).toEqual(nobodys.json.error);
      } finally {
        await app.close();
      }
    });
  });
}
