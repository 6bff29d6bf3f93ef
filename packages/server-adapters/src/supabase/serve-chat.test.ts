import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChunkStream, type StreamChunk } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoExecutable } from '../testing/deno-executable';
import { serveChat } from './serve-chat';
import {
  createSupabaseTestDatabase,
  type SupabaseTestDatabase,
} from './testing/supabase-test-database';
import {
  type SupabaseTestProject,
  startSupabaseTestProject,
} from './testing/supabase-test-project';

const serverUrl = process.env.DATABASE_URL;
const packageFolder = fileURLToPath(new URL('../../', import.meta.url));
const functionScript = fileURLToPath(new URL('./testing/edge-function.mjs', import.meta.url));
const appOrigin = 'https://app.example.com';

/** The built module the Deno tests run: they test what is published, not the sources. */
function builtPackage(): string {
  const built = join(packageFolder, 'dist', 'supabase.js');
  if (!existsSync(built)) {
    throw new Error(
      `${built} is missing: these tests run the built package. Run \`pnpm --filter @confab/server build\` first.`,
    );
  }
  return built;
}

describe('serveChat', () => {
  it('says where it runs instead of failing on a missing Deno', () => {
    expect(() => serveChat({ model: { models: () => [], stream: async function* () {} } })).toThrow(
      /runs in Deno/,
    );
  });
});

describe('@confab/server/supabase under Deno', () => {
  it('loads without any permission: importing it reads no environment and opens nothing', () => {
    builtPackage();
    const executable = denoExecutable();
    // A module from stdin, run with every permission denied and no prompt: any read of the
    // environment, the network or files while loading would fail the run.
    const result = spawnSync(executable, ['run', '--no-prompt', '--node-modules-dir=manual', '-'], {
      cwd: packageFolder,
      input:
        "const module = await import('./dist/supabase.js'); console.log(Object.keys(module).sort().join(' '));",
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: '1',
        DENO_NO_UPDATE_CHECK: '1',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(
      'createChatFunction serveChat supabaseAuth supabaseStore withCors',
    );
  });
});

// The Edge Function under real Deno: the built package, a function script as an app writes it,
// the environment Supabase gives functions, and a chat driven over HTTP.
describe.skipIf(!serverUrl)('serveChat under Deno', () => {
  let project: SupabaseTestProject;
  let database: SupabaseTestDatabase;
  let deno: ChildProcess | undefined;
  let functionUrl: string;
  let output = '';

  beforeAll(async () => {
    builtPackage();
    const executable = denoExecutable();
    project = await startSupabaseTestProject();
    database = await createSupabaseTestDatabase(serverUrl!, `${project.url}/auth/v1`);

    // Bare imports of the built package resolve from the package's node_modules (no network).
    deno = spawn(
      executable,
      [
        'run',
        '--node-modules-dir=manual',
        '--allow-net=127.0.0.1',
        '--allow-env',
        '--allow-read',
        functionScript,
      ],
      {
        cwd: packageFolder,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NO_COLOR: '1',
          DENO_NO_UPDATE_CHECK: '1',
          SUPABASE_URL: project.url,
          SUPABASE_JWT_SECRET: project.jwtSecret,
          SUPABASE_DB_URL: database.url,
          CONFAB_ALLOWED_ORIGINS: appOrigin,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    deno.stderr!.on('data', (data) => {
      output += data;
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Deno did not start the function in 30 s:\n${output}`)),
        30_000,
      );
      deno!.stdout!.on('data', (data) => {
        output += data;
        const match = /\{"listening":(\d+)\}/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      deno!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Deno exited with ${code} before listening:\n${output}`));
      });
    });
    functionUrl = `http://127.0.0.1:${port}/chat`;
  }, 60_000);

  afterAll(async () => {
    if (deno && deno.exitCode === null) {
      const exited = once(deno, 'exit');
      deno.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
    project?.close();
  });

  async function tokenFor(algorithm: 'HS256' | 'ES256') {
    const user = await database.createUser();
    return { userId: user.userId, token: await project.sign(user.claims, algorithm) };
  }

  const from = (user: { token: string }, headers: Record<string, string> = {}) => ({
    origin: appOrigin,
    authorization: `Bearer ${user.token}`,
    ...headers,
  });

  it('answers the browser preflight, then serves a whole chat over HTTP', async () => {
    const preflight = await fetch(`${functionUrl}/threads`, {
      method: 'OPTIONS',
      headers: {
        origin: appOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const stranger = await fetch(`${functionUrl}/threads`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(stranger.status).toBe(403);
    await stranger.body?.cancel();

    const ada = await tokenFor('HS256');
    const created = await fetch(`${functionUrl}/threads`, {
      method: 'POST',
      headers: from(ada, { 'content-type': 'application/json' }),
      body: JSON.stringify({ title: 'From Deno' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(appOrigin);
    const thread = await created.json();
    expect(thread).toMatchObject({ title: 'From Deno', ownerId: ada.userId });

    const sent = await fetch(`${functionUrl}/threads/${thread.id}/messages`, {
      method: 'POST',
      headers: from(ada, { 'content-type': 'application/json', accept: 'text/event-stream' }),
      body: JSON.stringify({ text: 'Hello from the browser' }),
    });
    expect(sent.status).toBe(200);
    expect(sent.headers.get('content-type')).toContain('text/event-stream');
    const chunks: StreamChunk[] = [];
    for await (const { chunk } of parseChunkStream(sent.body!)) chunks.push(chunk);
    const streamed = chunks
      .filter((chunk) => chunk.type === 'text-delta')
      .map((chunk) => (chunk as { delta: string }).delta)
      .join('');
    expect(streamed).toMatch(/demo/i);
    expect(chunks.at(-1)?.type).toBe('run-finished');

    const history = await fetch(`${functionUrl}/threads/${thread.id}/messages`, {
      headers: from(ada),
    });
    const page = await history.json();
    expect(page.items.map((message: { role: string }) => message.role)).toEqual([
      'user',
      'assistant',
    ]);
    const answer = page.items[1];
    expect(answer.status).toBe('complete');
    expect(answer.parts).toEqual([{ type: 'text', text: streamed }]);

    // Bob, signed in through the project's signing keys, finds nothing of Ada's.
    const bob = await tokenFor('ES256');
    const theirs = await fetch(`${functionUrl}/threads/${thread.id}`, { headers: from(bob) });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error.code).toBe('not_found');
    const bobs = await fetch(`${functionUrl}/threads`, { headers: from(bob) });
    expect(await bobs.json()).toEqual({ items: [], nextCursor: null });

    // And the rows are in the database under Ada.
    const stored = await database.pool.query(
      'select owner_id, message_count from confab_threads where id = $1',
      [thread.id],
    );
    expect(stored.rows).toEqual([{ owner_id: ada.userId, message_count: 2 }]);
  });

  it('stops when told to: the server ends, the store closes, and Deno exits cleanly', async () => {
    const exited = once(deno!, 'exit');
    const started = Date.now();
    deno!.kill('SIGTERM');
    const [code] = await exited;
    expect(code, output).toBe(0);
    // Open pool connections would hold Deno for pg's idle timeout (10 s): closing them is what
    // lets it exit at once.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
