// End to end: the demo server as a user starts it (built packages, SQLite file, demo model),
// the README's TypeScript program against it, and a crash in the middle of an answer.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { messageText, parseChunkStream } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo } from './start-demo.ts';

const root = join(import.meta.dirname, '..');
const built = existsSync(join(root, '../../packages/server-adapters/dist/index.js'));
const directory = mkdtempSync(join(tmpdir(), 'confab-demo-'));
const database = join(directory, 'demo.db');
const children: ChildProcess[] = [];

async function startServer(env: Record<string, string> = {}) {
  const started = await startDemo({ CONFAB_DATABASE: database, ...env });
  children.push(started.child);
  return { ...started, api: `${started.origin}/api/chat` };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

describe.skipIf(!built)('the demo server', () => {
  let api: string;
  let server: ChildProcess;
  beforeAll(async () => {
    ({ api, child: server } = await startServer({ CONFAB_DEMO_TOKEN_DELAY_MS: '1' }));
  });

  it('runs the README TypeScript program: a streamed answer, then the history', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['src/client.ts'], {
      cwd: root,
      env: { ...process.env, CONFAB_URL: api },
    });
    expect(stdout).toContain("Confab's demo model");
    expect(stdout).toMatch(/\[complete, \d+ tokens\]/);
    expect(stdout).toContain('0 user: complete\n1 assistant: complete');
  });

  it('keeps a partial answer through a crash and marks it interrupted after restart', async () => {
    server.kill('SIGKILL');
    const lease = { CONFAB_LEASE_MS: '1500' };
    ({ api, child: server } = await startServer({ ...lease, CONFAB_DEMO_TOKEN_DELAY_MS: '20' }));
    const headers = { 'content-type': 'application/json', 'x-confab-user': 'crash-test' };
    const thread = await (
      await fetch(`${api}/threads`, { method: 'POST', headers, body: '{}' })
    ).json();
    const response = await fetch(`${api}/threads/${thread.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'Write me a long essay' }),
    });
    const reader = parseChunkStream(response.body!).getReader();
    let deltas = 0;
    while (deltas < 40) if ((await reader.read()).value?.chunk.type === 'text-delta') deltas++;
    // Let at least one periodic write of the partial answer happen, then kill the server.
    await new Promise((resolve) => setTimeout(resolve, 700));
    server.kill('SIGKILL');
    await reader.cancel().catch(() => {});

    ({ api, child: server } = await startServer(lease));
    const threads = await (await fetch(`${api}/threads`, { headers })).json();
    expect(threads.items.map((item: { id: string }) => item.id)).toEqual([thread.id]);
    // The dead instance's lease still holds the thread for a moment; once it expires, the answer
    // is marked interrupted.
    const messages = `${api}/threads/${thread.id}/messages`;
    let page = await (await fetch(messages, { headers })).json();
    for (let tries = 0; page.items[1]?.status === 'streaming' && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await (await fetch(messages, { headers })).json();
    }
    const [question, answer] = page.items;
    expect(question).toMatchObject({ role: 'user', status: 'complete' });
    expect(messageText(question)).toBe('Write me a long essay');
    expect(answer).toMatchObject({
      role: 'assistant',
      status: 'failed',
      error: { code: 'interrupted' },
    });
    expect(messageText(answer).length).toBeGreaterThan(20);
  });
});

describe.skipIf(!built)('the demo server and its page', () => {
  let origin: string;
  beforeAll(async () => {
    // A stand-in for the built page: what matters here is which paths get it.
    const page = join(directory, 'page');
    mkdirSync(page, { recursive: true });
    writeFileSync(join(page, 'index.html'), '<!doctype html><title>Harbor</title>');
    ({ origin } = await startServer({ CONFAB_WEB_DIST: page }));
  });

  it('answers page paths with the app, and unknown API paths with JSON 404', async () => {
    for (const path of ['/', '/chat', '/chat/some-thread-id']) {
      const response = await fetch(`${origin}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>Harbor</title>');
    }
    const missing = await fetch(`${origin}/api/nothing-here`, { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const index = await (await fetch(`${origin}/api`)).json();
    expect(index).toMatchObject({ api: '/api/chat', page: '/' });
  });

  it('signs in by name with a cookie that scopes the chat API to that name', async () => {
    const refused = await fetch(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'two words' }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('invalid_name');

    const signIn = async (name: string) => {
      const response = await fetch(`${origin}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      expect(await response.json()).toEqual({ user: name });
      const cookie = response.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/i);
      return cookie.split(';')[0]!;
    };
    const ada = await signIn('ada');
    const bob = await signIn('bob');
    expect(
      await (await fetch(`${origin}/api/session`, { headers: { cookie: ada } })).json(),
    ).toEqual({ user: 'ada' });
    expect(await (await fetch(`${origin}/api/session`)).json()).toEqual({ user: null });

    const thread = await (
      await fetch(`${origin}/api/chat/threads`, {
        method: 'POST',
        headers: { cookie: ada, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json();
    const list = async (cookie: string) =>
      (await (await fetch(`${origin}/api/chat/threads`, { headers: { cookie } })).json()).items.map(
        (item: { id: string }) => item.id,
      );
    expect(await list(ada)).toContain(thread.id);
    expect(await list(bob)).not.toContain(thread.id);
    const peek = await fetch(`${origin}/api/chat/threads/${thread.id}`, {
      headers: { cookie: bob },
    });
    expect(peek.status).toBe(404);

    const signOut = await fetch(`${origin}/api/session`, {
      method: 'DELETE',
      headers: { cookie: ada },
    });
    expect(signOut.headers.get('set-cookie')).toMatch(/confab_user=;/);
  });
});
