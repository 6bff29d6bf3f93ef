// Runs the example's Edge Function as Supabase would, under Deno, against a fresh PostgreSQL
// database prepared like a Supabase project (auth schema, roles) with the example's migration,
// and drives a whole chat through it over HTTP with Supabase-style access tokens.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChunkStream } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSupabaseTestDatabase,
  type SupabaseTestDatabase,
  type SupabaseTestUser,
} from '../../../packages/server-adapters/src/supabase/testing/supabase-test-database';
import { denoExecutable } from '../../../packages/server-adapters/src/testing/deno-executable';

const root = join(import.meta.dirname, '..');
const packageMigrations = join(root, '../../packages/server-adapters/supabase/migrations');
const exampleMigrations = join(root, 'supabase/migrations');
const serverUrl = process.env.DATABASE_URL;
const jwtSecret = 'example-test-secret-that-is-long-enough';
const projectUrl = 'http://127.0.0.1:54321';

describe('the example migration', () => {
  it('is the migration @confab/server ships', () => {
    const names = readdirSync(packageMigrations).filter((name) => name.endsWith('.sql'));
    expect(names.length).toBeGreaterThan(0);
    expect(readdirSync(exampleMigrations).sort()).toEqual(names.sort());
    for (const name of names) {
      expect(readFileSync(join(exampleMigrations, name), 'utf8')).toBe(
        readFileSync(join(packageMigrations, name), 'utf8'),
      );
    }
  });
});

/** An HS256 access token as Supabase Auth signs it with a project's legacy JWT secret. */
function accessToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', jwtSecret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe.skipIf(!serverUrl)('the chat Edge Function under Deno (DATABASE_URL)', () => {
  let database: SupabaseTestDatabase;
  let child: ChildProcess;
  let origin: string;
  let alice: SupabaseTestUser;
  let bob: SupabaseTestUser;

  beforeAll(async () => {
    database = await createSupabaseTestDatabase(serverUrl!, `${projectUrl}/auth/v1`);
    alice = await database.createUser();
    bob = await database.createUser();
    child = spawn(
      denoExecutable(),
      [
        'run',
        '--node-modules-dir=manual',
        '--config=supabase/functions/chat/deno.json',
        '--allow-net',
        '--allow-env',
        '--allow-read',
        'supabase/functions/chat/index.ts',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DENO_NO_UPDATE_CHECK: '1',
          NO_COLOR: '1',
          CONFAB_FUNCTION_PORT: '0',
          SUPABASE_URL: projectUrl,
          SUPABASE_JWT_SECRET: jwtSecret,
          SUPABASE_DB_URL: database.url,
          OPENAI_API_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${output}`)), 60_000);
      const read = (data: Buffer) => {
        output += data.toString();
        const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`deno exited with ${code}:\n${output}`)));
    });
    // Supabase serves a function under /<name>: /chat here.
    origin = `${await listening}/chat`;
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
  });

  const call = (path: string, user: SupabaseTestUser | null, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (user) headers.set('authorization', `Bearer ${accessToken(user.claims)}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${origin}${path}`, { ...init, headers });
  };

  it('answers a browser preflight from another origin', async () => {
    const response = await fetch(`${origin}/threads`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5174',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toMatch(
      /^(\*|http:\/\/localhost:5174)$/,
    );
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('refuses a request without a signed-in user', async () => {
    const anonymous = await call('/threads', null);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('unauthorized');

    const anonKey = accessToken({ iss: `${projectUrl}/auth/v1`, role: 'anon', exp: 4e9 });
    const withAnonKey = await fetch(`${origin}/threads`, {
      headers: { authorization: `Bearer ${anonKey}` },
    });
    expect(withAnonKey.status).toBe(401);
  });

  it('stores a streamed chat for its owner and shows it to no one else', async () => {
    const created = await call('/threads', alice, { method: 'POST', body: '{}' });
    expect(created.status).toBe(201);
    const thread = (await created.json()) as { id: string; ownerId: string };
    expect(thread.ownerId).toBe(alice.userId);

    const sent = await call(`/threads/${thread.id}/messages`, alice, {
      method: 'POST',
      body: JSON.stringify({ text: 'Hello from the Supabase example' }),
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('content-type')).toMatch(/text\/event-stream/);
    const types: string[] = [];
    for await (const { chunk } of parseChunkStream(sent.body!)) types.push(chunk.type);
    // The user's message stored, the answer started, streamed in pieces, and finished.
    expect(types[0]).toBe('message-created');
    expect(types.indexOf('run-started')).toBeGreaterThan(0);
    expect(types.filter((type) => type === 'text-delta').length).toBeGreaterThan(1);
    expect(types.indexOf('message-updated')).toBeGreaterThan(types.indexOf('text-delta'));
    expect(types.at(-1)).toBe('run-finished');

    const history = await call(`/threads/${thread.id}/messages`, alice);
    const page = (await history.json()) as { items: { role: string; status: string }[] };
    expect(page.items.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);

    // The rows are in the database, owned by Alice.
    const { rows } = await database.pool.query(
      'select owner_id::text as owner, (select count(*)::int from confab_messages where thread_id = $1) as messages from confab_threads where id = $1',
      [thread.id],
    );
    expect(rows).toEqual([{ owner: alice.userId, messages: 2 }]);

    // Bob sees nothing of it, whatever he tries.
    expect((await call(`/threads/${thread.id}`, bob)).status).toBe(404);
    expect((await call(`/threads/${thread.id}/messages`, bob)).status).toBe(404);
    const intrusion = await call(`/threads/${thread.id}/messages`, bob, {
      method: 'POST',
      body: JSON.stringify({ text: 'let me in' }),
    });
    expect(intrusion.status).toBe(404);
    expect((await intrusion.json()).error.code).toBe('not_found');
    const bobsList = (await (await call('/threads', bob)).json()) as { items: unknown[] };
    expect(bobsList.items).toEqual([]);
  });

  it('answers bad input with a JSON error', async () => {
    const created = (await (
      await call('/threads', alice, { method: 'POST', body: '{}' })
    ).json()) as {
      id: string;
    };
    const response = await call(`/threads/${created.id}/messages`, alice, {
      method: 'POST',
      body: JSON.stringify({ text: 42 }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('invalid_request');
  });
});
