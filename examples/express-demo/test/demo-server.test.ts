// End to end: the demo server as a user starts it (built packages, SQLite file, demo model),
// the README's TypeScript program against it, and a crash in the middle of an answer.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { messageText, parseChunkStream } from '@confab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const built = existsSync(join(root, '../../packages/server-adapters/dist/index.js'));
const directory = mkdtempSync(join(tmpdir(), 'confab-demo-'));
const database = join(directory, 'demo.db');
const children: ChildProcess[] = [];

async function startServer(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      CONFAB_DATABASE: database,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 15_000);
    const read = (data: Buffer) => {
      output += data.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
  return { child, api: `${origin}/api/chat` };
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
    ({ api, child: server } = await startServer({ CONFAB_DEMO_TOKEN_DELAY_MS: '20' }));
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

    ({ api, child: server } = await startServer({ CONFAB_STALE_AFTER_MS: '0' }));
    const threads = await (await fetch(`${api}/threads`, { headers })).json();
    expect(threads.items.map((item: { id: string }) => item.id)).toEqual([thread.id]);
    const page = await (await fetch(`${api}/threads/${thread.id}/messages`, { headers })).json();
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
