// The example as it ships: `next build`, then `next start` on loopback, driven over HTTP like a
// browser would (cookie sign-in, JSON, SSE), against both the Node.js and the Edge route.
// A failed build fails every test here: nothing is skipped for it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { messageText, parseChunkStream, type StreamChunk } from '@confab/core';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../../../packages/server-adapters/src/testing/postgres-test-database';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';

const root = join(import.meta.dirname, '..');
const next = join(root, 'node_modules/.bin/next');
const run = `${process.pid}-${Date.now().toString(36)}`;
const screenshots = join(import.meta.dirname, 'screenshots');

/** The environment of `next build` and `next start`: offline, the demo model, no telemetry. */
function nextEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // What next build and next start use anyway, instead of Vitest's "test".
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    CONFAB_DATABASE_URL: '',
    // Fast enough for a short test, slow enough that an answer takes a while to stream.
    CONFAB_DEMO_TOKEN_DELAY_MS: '8',
    ...extra,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  origin: string;
  output: () => string;
}

/** `next start` on a free loopback port; resolves once the page answers. */
async function startServer(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  // Its own process group, so that stopping it also stops anything it started.
  const child = spawn(next, ['start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    env: nextEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => {
    output += data;
  });
  child.stderr!.on('data', (data: Buffer) => {
    output += data;
  });
  const origin = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (true) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    if (Date.now() - started > 60_000) throw new Error(`next start did not answer:\n${output}`);
    try {
      if ((await fetch(`${origin}/api/session`)).ok) break;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, origin, output: () => output };
}

/**
 * Stops the server's process group (the `next` shim and Node.js under it): SIGTERM, then SIGKILL
 * for whatever is still there after 5 s.
 */
async function stopServer(started: Started | undefined) {
  const pid = started?.child.pid;
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {}
  };
  signal('SIGTERM');
  const deadline = Date.now() + 5000;
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) signal('SIGKILL');
}

let server: Started | undefined;
let buildSeconds = 0;
/** The SQLite file and other scratch files of this run. */
let directory = '';

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'confab-nextjs-'));
  const began = Date.now();
  try {
    await promisify(execFile)(next, ['build'], {
      cwd: root,
      env: nextEnvironment(),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`next build failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
  buildSeconds = (Date.now() - began) / 1000;
  server = await startServer({ CONFAB_SQLITE_FILE: join(directory, 'chat.db') });
}, 15 * 60_000);

afterAll(async () => {
  await stopServer(server);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// A small HTTP client, as the page's scripts use the API.

/** Signs in through the page's session route; returns the cookie the browser would send. */
async function signIn(origin: string, name: string): Promise<string> {
  const response = await fetch(`${origin}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ user: name });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('confab_user='));
  expect(cookie).toMatch(/HttpOnly/i);
  return cookie!.split(';')[0]!;
}

async function call(
  origin: string,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; raw?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${origin}${path}`, { method, headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

interface TimedChunk {
  chunk: StreamChunk;
  at: number;
}

/** Sends a message and reads the SSE answer as it arrives, noting when each chunk came. */
async function streamAnswer(
  origin: string,
  path: string,
  cookie: string,
  text: string,
  onChunk?: (chunk: StreamChunk) => void | Promise<void>,
) {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ text }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const received: TimedChunk[] = [];
  const reader = parseChunkStream(response.body!).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    received.push({ chunk: next.value.chunk, at: performance.now() });
    await onChunk?.(next.value.chunk);
  }
  return received;
}

// ---------------------------------------------------------------------------------------------

describe('examples/nextjs after next build && next start', () => {
  it('serves the page: the sign-in form signed out, the chat signed in', async () => {
    console.info(`next build took ${buildSeconds.toFixed(1)} s`);
    const signedOut = await fetch(`${server!.origin}/`);
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get('content-type')).toContain('text/html');
    const form = await signedOut.text();
    expect(form).toContain('<title>Confab on Next.js</title>');
    expect(form).toContain('Your name');

    const cookie = await signIn(server!.origin, `page-${run}`);
    const signedIn = await (await fetch(`${server!.origin}/`, { headers: { cookie } })).text();
    expect(signedIn).toContain(`page-${run}`);
    expect(signedIn).toContain('Sign out');
    // The stylesheet of @confab/react is part of the page.
    expect(signedIn).toMatch(/<link rel="stylesheet" href="\/_next\/static\/[^"]+\.css"/);
  });

  it('signs in by name, refuses a bad name with a JSON 400, and signs out', async () => {
    const origin = server!.origin;
    const refused = await call(origin, 'POST', '/api/session', { body: { name: 'two words' } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('invalid_name');

    const cookie = await signIn(origin, `grace-${run}`);
    expect((await call(origin, 'GET', '/api/session', { cookie })).json).toEqual({
      user: `grace-${run}`,
    });
    const out = await fetch(`${origin}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.headers.getSetCookie().join()).toMatch(
      /confab_user=;|Max-Age=0|Expires=Thu, 01 Jan 1970/,
    );
  });

  for (const route of [
    { name: 'the Node.js route (SQLite)', base: '/api/chat' },
    { name: 'the Edge route (memory)', base: '/api/edge-chat' },
  ]) {
    describeChatRoute(route.name, () => server!.origin, route.base);
  }

  it('reported no error on the way, from the handler or from waitUntil (after)', () => {
    expect(server!.output()).not.toContain('[confab]');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('examples/nextjs on PostgreSQL', () => {
  let postgresServer: Started | undefined;
  let database: PostgresTestDatabase | undefined;
  beforeAll(async () => {
    // A database of its own: the server's DATABASE_URL is shared with other test runs.
    database = await createPostgresTestDatabase(process.env.DATABASE_URL!, 'confab_nextjs');
    // The same build, started with CONFAB_DATABASE_URL: the Node.js route uses postgresStore.
    // Its SQLite file could not be created (its folder is a file), so a fall back to SQLite
    // would fail every request below.
    const blocker = join(directory, 'not-a-folder');
    writeFileSync(blocker, '');
    postgresServer = await startServer({
      CONFAB_DATABASE_URL: database.url,
      CONFAB_SQLITE_FILE: join(blocker, 'chat.db'),
    });
  }, 120_000);
  afterAll(async () => {
    await stopServer(postgresServer);
    await database?.drop();
  });

  describeChatRoute('the Node.js route (PostgreSQL)', () => postgresServer!.origin, '/api/chat');
});

// ---------------------------------------------------------------------------------------------
// The page in Chromium: sign in, chat on both routes, sign out. Screenshots go to
// test/screenshots/ (git-ignored) to look at.

const noChromium = existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath}`;

describe.skipIf(noChromium !== null)(
  noChromium ? `the page in Chromium (skipped: ${noChromium})` : 'the page in Chromium',
  () => {
    let browser: Browser | undefined;
    beforeAll(async () => {
      mkdirSync(screenshots, { recursive: true });
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    const eventually = <T>(read: () => T | Promise<T>, timeout = 15_000) =>
      expect.poll(read, { timeout, interval: 50 });

    async function seriousViolations(page: Page) {
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
          resultTypes: ['violations'],
        });
        return results.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          targets: violation.nodes.map((node) => node.target.join(' ')),
        }));
      });
      return violations.filter(
        (violation) => violation.impact === 'serious' || violation.impact === 'critical',
      );
    }

    it('signs in, streams answers from the Node.js and the Edge route, and signs out', async () => {
      const context = await browser!.newContext({
        baseURL: server!.origin,
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
      try {
        await page.goto('/');
        await page.getByLabel('Your name').fill('two words');
        await page.getByRole('button', { name: 'Continue' }).click();
        // (Next.js's route announcer is an alert too, hence the text.)
        await eventually(() =>
          page.getByRole('alert').filter({ hasText: 'without spaces' }).count(),
        ).toBe(1);
        await page.screenshot({ path: join(screenshots, 'sign-in.png') });

        const name = `browser-${run}`;
        await page.getByLabel('Your name').fill(name);
        await page.getByRole('button', { name: 'Continue' }).click();
        await eventually(() => page.getByText(`Signed in as ${name}`).isVisible()).toBe(true);

        const composer = page.getByRole('textbox', { name: 'Message' });
        const answer = page.locator('[data-role="assistant"]').last();
        const chats = page.getByRole('navigation', { name: 'Chats', exact: true });

        // The Node.js route: the answer grows while it streams, then completes.
        await composer.fill('Write a long story about Next.js');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await eventually(() => answer.getAttribute('data-status')).toBe('streaming');
        await eventually(async () => (await answer.textContent())?.length ?? 0).toBeGreaterThan(0);
        const early = (await answer.textContent())!.length;
        await page.waitForTimeout(300);
        expect((await answer.textContent())!.length).toBeGreaterThan(early);
        await page.screenshot({ path: join(screenshots, 'node-streaming.png') });
        await eventually(() => answer.getAttribute('data-status'), 30_000).toBe('complete');
        await eventually(() => chats.getByText('Write a long story about Next.js').count()).toBe(1);
        expect(await seriousViolations(page)).toEqual([]);

        // After a reload the thread is listed again, and opening it brings back the messages.
        await page.reload();
        await chats.getByText('Write a long story about Next.js').click();
        await eventually(() => page.locator('[data-role]').count()).toBe(2);
        await eventually(() => answer.textContent()).toContain("Confab's demo model");

        // The Edge route has its own store: no threads yet.
        await page.getByText('Edge', { exact: true }).click();
        await eventually(() => chats.getByText('Write a long story about Next.js').count()).toBe(0);
        await composer.fill('Hello from the edge');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await eventually(() => answer.getAttribute('data-status'), 30_000).toBe('complete');
        await eventually(() => chats.getByText('Hello from the edge').count()).toBe(1);
        await page.screenshot({ path: join(screenshots, 'edge-answered.png') });

        await page.getByRole('button', { name: 'Sign out' }).click();
        await eventually(() => page.getByLabel('Your name').isVisible()).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  },
);

/** A whole chat, isolation and bad input over HTTP, against the API mounted at `base`. */
function describeChatRoute(name: string, origin: () => string, base: string) {
  describe(name, () => {
    it('refuses a request without a session with a JSON 401', async () => {
      const result = await call(origin(), 'GET', `${base}/threads`);
      expect(result.status).toBe(401);
      expect(result.json.error.code).toBe('unauthorized');
    });

    it('creates a thread, streams an answer as it is written, and reloads the history', async () => {
      const cookie = await signIn(origin(), `ada-${run}`);
      const created = await call(origin(), 'POST', `${base}/threads`, { cookie, body: {} });
      expect(created.status).toBe(201);
      const thread = created.json;

      const received = await streamAnswer(
        origin(),
        `${base}/threads/${thread.id}/messages`,
        cookie,
        'Hello from Next.js',
      );
      const types = received.map(({ chunk }) => chunk.type);
      expect(types.slice(0, 4)).toEqual([
        'message-created',
        'thread-updated',
        'message-created',
        'run-started',
      ]);
      expect(types.slice(-3)).toEqual(['message-updated', 'thread-updated', 'run-finished']);
      const deltas = received.filter(({ chunk }) => chunk.type === 'text-delta');
      expect(deltas.length).toBeGreaterThan(20);
      // It really streams: the first words arrive well before the answer ends, not all at once
      // in one buffered response.
      const end = received.find(({ chunk }) => chunk.type === 'message-updated')!;
      expect(end.at - deltas[0]!.at).toBeGreaterThan(250);
      expect(end.chunk).toMatchObject({ message: { status: 'complete' } });
      const streamed = deltas
        .map(({ chunk }) => (chunk.type === 'text-delta' ? chunk.delta : ''))
        .join('');
      expect(streamed).toContain('demo');

      // A reload: the page fetches the thread list and the history again.
      const threads = await call(origin(), 'GET', `${base}/threads`, { cookie });
      expect(threads.json.items.map((item: { id: string }) => item.id)).toContain(thread.id);
      expect(threads.json.items.find((item: { id: string }) => item.id === thread.id).title).toBe(
        'Hello from Next.js',
      );
      const history = await call(origin(), 'GET', `${base}/threads/${thread.id}/messages`, {
        cookie,
      });
      expect(history.status).toBe(200);
      expect(history.json.items.map((message: any) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
      ]);
      expect(messageText(history.json.items[0])).toBe('Hello from Next.js');
      expect(messageText(history.json.items[1])).toBe(streamed);
    });

    it('stops an answer halfway: the stream ends and the answer is kept as cancelled', async () => {
      const cookie = await signIn(origin(), `stopper-${run}`);
      const thread = (await call(origin(), 'POST', `${base}/threads`, { cookie, body: {} })).json;
      let stop: Promise<Awaited<ReturnType<typeof call>>> | undefined;
      const received = await streamAnswer(
        origin(),
        `${base}/threads/${thread.id}/messages`,
        cookie,
        'Write a long story',
        (chunk) => {
          if (chunk.type === 'text-delta' && !stop) {
            stop = call(origin(), 'POST', `${base}/threads/${thread.id}/stop`, { cookie });
          }
        },
      );
      const stopped = await stop!;
      expect(stopped.status).toBe(200);
      expect(stopped.json.stopped).toBe(true);
      const end = received.find(({ chunk }) => chunk.type === 'message-updated');
      expect(end?.chunk).toMatchObject({ message: { status: 'cancelled' } });
      const history = await call(origin(), 'GET', `${base}/threads/${thread.id}/messages`, {
        cookie,
      });
      expect(history.json.items[1].status).toBe('cancelled');
    });

    it("keeps two users apart: another user's thread answers 404 everywhere", async () => {
      const ada = await signIn(origin(), `owner-${run}`);
      const bob = await signIn(origin(), `other-${run}`);
      const thread = (await call(origin(), 'POST', `${base}/threads`, { cookie: ada, body: {} }))
        .json;
      const attempts = [
        await call(origin(), 'GET', `${base}/threads/${thread.id}`, { cookie: bob }),
        await call(origin(), 'GET', `${base}/threads/${thread.id}/messages`, { cookie: bob }),
        await call(origin(), 'POST', `${base}/threads/${thread.id}/messages`, {
          cookie: bob,
          body: { text: 'let me in' },
        }),
        await call(origin(), 'PATCH', `${base}/threads/${thread.id}`, {
          cookie: bob,
          body: { title: 'Mine now' },
        }),
        await call(origin(), 'DELETE', `${base}/threads/${thread.id}`, { cookie: bob }),
      ];
      for (const attempt of attempts) {
        expect(attempt.status).toBe(404);
        expect(attempt.json.error.code).toBe('not_found');
      }
      expect((await call(origin(), 'GET', `${base}/threads`, { cookie: bob })).json.items).toEqual(
        [],
      );
      const own = await call(origin(), 'GET', `${base}/threads/${thread.id}`, { cookie: ada });
      expect(own.status).toBe(200);
      expect(own.json.title).toBeNull();
    });

    it('answers bad input with JSON errors and stores nothing', async () => {
      const cookie = await signIn(origin(), `careless-${run}`);
      const thread = (await call(origin(), 'POST', `${base}/threads`, { cookie, body: {} })).json;
      const messages = `${base}/threads/${thread.id}/messages`;
      const wrongType = await call(origin(), 'POST', messages, { cookie, body: { text: 42 } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.json.error.code).toBe('invalid_request');
      expect(wrongType.json.error.issues.map((issue: any) => issue.path)).toContainEqual(['text']);
      const malformed = await call(origin(), 'POST', messages, { cookie, raw: '{"text": "hi"' });
      expect(malformed.status).toBe(400);
      expect(malformed.json.error.code).toBe('invalid_json');
      const form = await call(origin(), 'POST', messages, {
        cookie,
        raw: 'text=hi',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(form.status).toBe(415);
      const badLimit = await call(origin(), 'GET', `${base}/threads?limit=1000`, { cookie });
      expect(badLimit.status).toBe(400);
      expect(badLimit.json.error.issues.map((issue: any) => issue.path)).toContainEqual(['limit']);
      const wrongMethod = await call(origin(), 'PUT', `${base}/threads/${thread.id}`, {
        cookie,
        body: { title: 'x' },
      });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.json.error.code).toBe('method_not_allowed');
      const unknown = await call(origin(), 'GET', `${base}/nothing/here`, { cookie });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/json');
      // An encoded slash stays inside its segment: a thread id, not a route below the folder.
      const encoded = await call(origin(), 'GET', `${base}/threads/a%2Fb`, { cookie });
      expect(encoded.status).toBe(404);
      expect(encoded.json.error.message).toBe('Thread not found.');

      const history = await call(origin(), 'GET', messages, { cookie });
      expect(history.json.items).toEqual([]);
    });
  });
}
