import { parseChunkStream, type StreamChunk } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import type { ChatStore } from '../store/chat-store';
import { memoryStore } from '../store/memory-store';
import { scriptedModel } from '../testing/scripted-model';
import { type ChatFunction, createChatFunction } from './chat-function';
import { supabaseAuth } from './supabase-auth';
import { supabaseStore } from './supabase-store';
import {
  createSupabaseTestDatabase,
  type SupabaseTestDatabase,
  type SupabaseTestUser,
} from './testing/supabase-test-database';
import {
  type SupabaseTestProject,
  startSupabaseTestProject,
} from './testing/supabase-test-project';

const serverUrl = process.env.DATABASE_URL;
const appOrigin = 'https://app.example.com';

describe.skipIf(!serverUrl)('the chat Edge Function on a Supabase database', () => {
  let project: SupabaseTestProject;
  let database: SupabaseTestDatabase;
  let store: ChatStore;
  let chat: ChatFunction;
  // Ada's token is signed with the legacy shared secret, Bob's with the project's signing key.
  let ada: SupabaseTestUser & { token: string };
  let bob: SupabaseTestUser & { token: string };

  beforeAll(async () => {
    project = await startSupabaseTestProject();
    database = await createSupabaseTestDatabase(serverUrl!, `${project.url}/auth/v1`);
    store = await supabaseStore({ connectionString: database.url });
    chat = createChatFunction({
      store,
      auth: supabaseAuth({ url: project.url, jwtSecret: project.jwtSecret }),
      model: scriptedModel({ pieces: ['Lisbon', ' in ', 'May'] }),
      cors: { origins: [appOrigin] },
    });
    const adaUser = await database.createUser();
    const bobUser = await database.createUser();
    ada = {
      ...adaUser,
      token: await project.sign(adaUser.claims, 'HS256'),
    };
    bob = {
      ...bobUser,
      token: await project.sign(bobUser.claims, 'ES256'),
    };
  }, 60_000);

  afterAll(async () => {
    await chat?.close();
    await store?.close();
    await database?.drop();
    project?.close();
  });

  /** A request from the app's page, as Supabase hands it to the function `chat`. */
  function request(
    user: { token: string } | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const all = new Headers({ origin: appOrigin, ...headers });
    if (user) all.set('authorization', `Bearer ${user.token}`);
    if (body !== undefined) all.set('content-type', 'application/json');
    return chat(
      new Request(`http://localhost/chat${path}`, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  }

  async function call(...args: Parameters<typeof request>) {
    const response = await request(...args);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text ? JSON.parse(text) : undefined,
    };
  }

  /** Ada's thread with one question and its streamed answer. */
  async function adasThread() {
    const created = await call(ada, 'POST', '/threads', { title: 'Trip plans' });
    expect(created.status).toBe(201);
    const thread = created.json;
    const response = await request(
      ada,
      'POST',
      `/threads/${thread.id}/messages`,
      { id: `question-${crypto.randomUUID()}`, text: 'When should I go to Lisbon?' },
      { accept: 'text/event-stream' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const chunks: StreamChunk[] = [];
    for await (const { chunk } of parseChunkStream(response.body!)) chunks.push(chunk);
    return { thread, chunks };
  }

  it('serves a signed-in user: a thread, a streamed answer, the history', async () => {
    const { thread, chunks } = await adasThread();
    expect(thread).toMatchObject({ ownerId: ada.userId, title: 'Trip plans' });
    const answer = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => (chunk as { delta: string }).delta)
      .join('');
    expect(answer).toBe('Lisbon in May');

    const history = await call(ada, 'GET', `/threads/${thread.id}/messages`);
    expect(history.status).toBe(200);
    expect(
      history.json.items.map((message: { role: string; status: string }) => [
        message.role,
        message.status,
      ]),
    ).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    const listed = await call(ada, 'GET', '/threads');
    expect(listed.json.items.map((item: { id: string }) => item.id)).toContain(thread.id);

    // Bob, signed in with the other kind of token, is served too, and sees only his own.
    const bobs = await call(bob, 'POST', '/threads', {});
    expect(bobs.status).toBe(201);
    expect(bobs.json.ownerId).toBe(bob.userId);
    const bobList = await call(bob, 'GET', '/threads');
    expect(bobList.json.items.map((item: { id: string }) => item.id)).toEqual([bobs.json.id]);
  });

  it('answers 404 to another user on every route of a thread, and leaves it as it was', async () => {
    const { thread } = await adasThread();
    const before = await call(ada, 'GET', `/threads/${thread.id}/messages`);
    const [question, answer] = before.json.items;

    const attempts = [
      await call(bob, 'GET', `/threads/${thread.id}`),
      await call(bob, 'GET', `/threads/${thread.id}/messages`),
      await call(bob, 'PATCH', `/threads/${thread.id}`, { title: 'Mine now' }),
      await call(bob, 'DELETE', `/threads/${thread.id}`),
      await call(bob, 'POST', `/threads/${thread.id}/messages`, { text: 'Hello?' }),
      await call(bob, 'POST', `/threads/${thread.id}/messages`, {
        id: question.id,
        text: 'Replay',
      }),
      await call(bob, 'POST', `/threads/${thread.id}/stop`, {}),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.json.error.code).toBe('not_found');
      expect(attempt.headers.get('access-control-allow-origin')).toBe(appOrigin);
    }
    const bobList = await call(bob, 'GET', '/threads');
    expect(bobList.json.items.map((item: { id: string }) => item.id)).not.toContain(thread.id);

    const after = await call(ada, 'GET', `/threads/${thread.id}/messages`);
    expect(after.json).toEqual(before.json);
    expect((await call(ada, 'GET', `/threads/${thread.id}`)).json.title).toBe('Trip plans');
    expect(answer.role).toBe('assistant');
  });

  it("keeps Bob out of Ada's rows in SQL run as authenticated with Bob's claims", async () => {
    const { thread } = await adasThread();
    const [question] = (await call(ada, 'GET', `/threads/${thread.id}/messages`)).json.items;
    const threadCount = 'select count(*)::int as count from confab_threads where id = $1';
    const messageCount = 'select count(*)::int as count from confab_messages where thread_id = $1';

    // Ada herself sees her rows this way: the zeros below are the policies at work.
    await database.asRole('authenticated', ada.claims, async (client) => {
      expect((await client.query(threadCount, [thread.id])).rows[0].count).toBe(1);
      expect((await client.query(messageCount, [thread.id])).rows[0].count).toBe(2);
    });

    await database.asRole('authenticated', bob.claims, async (client) => {
      expect((await client.query(threadCount, [thread.id])).rows[0].count).toBe(0);
      expect((await client.query(messageCount, [thread.id])).rows[0].count).toBe(0);
      const renamed = await client.query(`update confab_threads set title = 'Mine' where id = $1`, [
        thread.id,
      ]);
      expect(renamed.rowCount).toBe(0);
      const rewritten = await client.query(
        `update confab_messages set parts = '[]'::jsonb where thread_id = $1`,
        [thread.id],
      );
      expect(rewritten.rowCount).toBe(0);
      expect(
        (await client.query('delete from confab_messages where thread_id = $1', [thread.id]))
          .rowCount,
      ).toBe(0);
      expect(
        (await client.query('delete from confab_threads where id = $1', [thread.id])).rowCount,
      ).toBe(0);
    });

    // Writing into her thread, or creating a thread in her name, is refused outright.
    await database.asRole('authenticated', bob.claims, async (client) => {
      await expect(
        client.query(
          `insert into confab_messages (id, thread_id, role, parts, status, sequence, metadata)
           values ($1, $2, 'user', '[]', 'complete', 99, '{}')`,
          [`intruder-${crypto.randomUUID()}`, thread.id],
        ),
      ).rejects.toThrow(/row-level security/);
    });
    await database.asRole('authenticated', bob.claims, async (client) => {
      await expect(
        client.query(`insert into confab_threads (id, owner_id) values ($1, $2)`, [
          `forged-${crypto.randomUUID()}`,
          ada.userId,
        ]),
      ).rejects.toThrow(/row-level security/);
    });
    await database.asRole('authenticated', bob.claims, async (client) => {
      // Moving one of his own threads over to her is refused too.
      const own = `own-${crypto.randomUUID()}`;
      const inserted = await client.query(
        'insert into confab_threads (id) values ($1) returning owner_id',
        [own],
      );
      expect(inserted.rows).toEqual([{ owner_id: bob.userId }]);
      await expect(
        client.query('update confab_threads set owner_id = $1 where id = $2', [ada.userId, own]),
      ).rejects.toThrow(/row-level security/);
    });

    // Without claims nobody is signed in: nothing at all is visible.
    await database.asRole('authenticated', null, async (client) => {
      const all = await client.query(
        'select (select count(*) from confab_threads)::int as threads, (select count(*) from confab_messages)::int as messages',
      );
      expect(all.rows[0]).toEqual({ threads: 0, messages: 0 });
    });
    // The anon role has no access at all.
    await database.asRole('anon', null, async (client) => {
      await expect(client.query('select id from confab_threads limit 1')).rejects.toThrow(
        /permission denied/,
      );
    });
    await database.asRole('anon', null, async (client) => {
      await expect(client.query('select id from confab_messages limit 1')).rejects.toThrow(
        /permission denied/,
      );
    });

    const intact = await database.pool.query(
      'select t.title, t.owner_id, (select count(*)::int from confab_messages m where m.thread_id = t.id) as messages from confab_threads t where t.id = $1',
      [thread.id],
    );
    expect(intact.rows).toEqual([{ title: 'Trip plans', owner_id: ada.userId, messages: 2 }]);
    expect(question.role).toBe('user');
  });

  it("answers 401 to the project's anon key and to a request without a token", async () => {
    const anonKey = await project.sign(
      { iss: 'supabase', ref: 'project', role: 'anon', iat: Math.floor(Date.now() / 1000) },
      'HS256',
    );
    for (const user of [{ token: anonKey }, null]) {
      const response = await call(user, 'GET', '/threads');
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('unauthorized');
      expect(response.headers.get('access-control-allow-origin')).toBe(appOrigin);
    }
  });
});

/** Creates a thread through the function and sends one message in it, answered as JSON. */
async function sendOnce(chat: (request: Request) => Promise<Response>): Promise<Response> {
  const created = await chat(new Request('http://localhost/chat/threads', { method: 'POST' }));
  const thread = await created.json();
  return chat(
    new Request(`http://localhost/chat/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    }),
  );
}

describe('createChatFunction', () => {
  it('mounts the API under the function name, the first segment of the path', async () => {
    const chat = createChatFunction({
      store: memoryStore(),
      auth: devAuth(),
      model: scriptedModel(),
    });
    try {
      const health = await chat(new Request('http://localhost/confab-chat/health'));
      expect(health.status).toBe(200);
      const threads = await chat(new Request('http://localhost/confab-chat/threads'));
      expect(await threads.json()).toEqual({ items: [], nextCursor: null });
      const elsewhere = await chat(new Request('http://localhost/other-function/threads'));
      expect(elsewhere.status).toBe(404);
    } finally {
      await chat.close();
    }
  });

  it("keeps the function alive with the runtime's EdgeRuntime.waitUntil until answers are stored", async () => {
    const kept: Promise<unknown>[] = [];
    const global = globalThis as { EdgeRuntime?: unknown };
    global.EdgeRuntime = { waitUntil: (promise: Promise<unknown>) => kept.push(promise) };
    const chat = createChatFunction({
      store: memoryStore(),
      auth: devAuth(),
      model: scriptedModel(),
    });
    try {
      const sent = await sendOnce(chat);
      expect(sent.status).toBe(200);
      expect(kept).toHaveLength(1);
      await expect(kept[0]).resolves.toMatchObject({ status: 'complete' });
    } finally {
      delete global.EdgeRuntime;
      await chat.close();
    }
  });

  it('ignores an EdgeRuntime global without waitUntil (as on Vercel)', async () => {
    const global = globalThis as { EdgeRuntime?: unknown };
    global.EdgeRuntime = 'edge-runtime';
    const chat = createChatFunction({
      store: memoryStore(),
      auth: devAuth(),
      model: scriptedModel(),
    });
    try {
      const sent = await sendOnce(chat);
      expect((await sent.json()).message.status).toBe('complete');
    } finally {
      delete global.EdgeRuntime;
      await chat.close();
    }
  });

  it('takes the allowed origins from CONFAB_ALLOWED_ORIGINS', async () => {
    vi.stubEnv('CONFAB_ALLOWED_ORIGINS', 'https://one.example, https://two.example');
    try {
      const chat = createChatFunction({
        store: memoryStore(),
        auth: devAuth(),
        model: scriptedModel(),
        basePath: '/chat',
      });
      const from = (origin: string) =>
        chat(new Request('http://localhost/chat/health', { headers: { origin } }));
      expect((await from('https://two.example')).headers.get('access-control-allow-origin')).toBe(
        'https://two.example',
      );
      expect((await from('https://three.example')).status).toBe(403);
      await chat.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('answers 500 and reports why when it has no database', async () => {
    vi.stubEnv('SUPABASE_DB_URL', '');
    vi.stubEnv('DATABASE_URL', '');
    const errors: unknown[] = [];
    try {
      const chat = createChatFunction({
        auth: devAuth(),
        model: scriptedModel(),
        onError: (error) => errors.push(error),
      });
      const response = await chat(new Request('http://localhost/chat/threads'));
      expect(response.status).toBe(500);
      expect((await response.json()).error.code).toBe('internal_error');
      expect(String(errors[0])).toMatch(/SUPABASE_DB_URL/);
      await chat.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses to start without a way to verify tokens', () => {
    vi.stubEnv('SUPABASE_URL', '');
    vi.stubEnv('SUPABASE_JWT_SECRET', '');
    try {
      expect(() => createChatFunction({ store: memoryStore(), model: scriptedModel() })).toThrow(
        /SUPABASE_URL/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
