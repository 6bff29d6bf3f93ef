import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageText, parseChunkStream, type StreamChunk } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { devAuth } from '../auth/dev-auth';
import { createChatHandler } from '../handler/create-chat-handler';
import type { ChatModel } from '../models/chat-model';
import { memoryStore } from '../store/memory-store';
import { describeAdapterContract } from '../testing/adapter-contract';
import { gatedModel } from '../testing/gated-model';
import { scriptedModel } from '../testing/scripted-model';
import { finalAnswer } from '../testing/test-app';
import {
  chatRoute,
  type NextChatRoute,
  type NextRouteHandler,
  type NextRouteParams,
} from './next-adapter';

/**
 * Calls a route's export the way Next.js does for a route file in `folder` (e.g. `/api/chat` for
 * `app/api/chat/[...confab]/route.ts`): the method's export, with the catch-all segments below the
 * folder, decoded, in `params` (a Promise, as in Next.js 15+). A method the file does not export
 * is answered 405 by Next.js itself.
 */
function callRoute(
  route: NextChatRoute,
  request: Request,
  folder: string,
  extraParams: NextRouteParams = {},
): Promise<Response> {
  const pathname = new URL(request.url).pathname;
  if (pathname !== folder && !pathname.startsWith(`${folder}/`)) {
    throw new Error(`${pathname} is not below the route folder ${folder}`);
  }
  const segments = pathname.slice(folder.length).split('/').filter(Boolean);
  const params = { ...extraParams, confab: segments.map((segment) => decodeURIComponent(segment)) };
  const exports: Record<string, NextRouteHandler | undefined> = {
    GET: route.GET,
    POST: route.POST,
    PUT: route.PUT,
    PATCH: route.PATCH,
    DELETE: route.DELETE,
  };
  const exported = exports[request.method];
  if (!exported) return Promise.resolve(new Response(null, { status: 405 }));
  return exported(request, { params: Promise.resolve(params) });
}

// `app/[...confab]/route.ts`: the route folder is the app's root, so the handler sees the whole
// path and routes it under its own basePath (`/api/chat` in the shared suite's handler).
describeAdapterContract('next route', async (handler) => {
  const route = chatRoute(handler);
  return { fetch: (request) => callRoute(route, request, ''), close: async () => {} };
});

/** A route at `app/api/chat/[...confab]/route.ts` over the memory store. */
function chatApp(model: ChatModel = scriptedModel()) {
  const store = memoryStore();
  const handler = createChatHandler({ store, model, auth: devAuth({ defaultUser: null }) });
  const route = chatRoute(handler);
  function request(method: string, path: string, init: RequestInit & { user?: string } = {}) {
    const headers = new Headers(init.headers);
    headers.set('x-confab-user', init.user ?? 'ada');
    if (init.body !== undefined && !headers.has('content-type')) {
      headers.set('content-type', 'application/json');
    }
    return new Request(`http://localhost:3000/api/chat${path}`, { ...init, method, headers });
  }
  async function call(method: string, path: string, init: RequestInit & { user?: string } = {}) {
    const response = await callRoute(route, request(method, path, init), '/api/chat');
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parse(text) };
  }
  async function createThread(user = 'ada') {
    const created = await call('POST', '/threads', { user, body: '{}' });
    expect(created.status).toBe(201);
    return created.json as { id: string; title: string | null };
  }
  function send(threadId: string, text: string, init: RequestInit & { user?: string } = {}) {
    return callRoute(
      route,
      request('POST', `/threads/${threadId}/messages`, {
        ...init,
        body: JSON.stringify({ text }),
      }),
      '/api/chat',
    );
  }
  return { store, handler, route, request, call, createThread, send };
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readChunks(reader: ReadableStreamDefaultReader<{ chunk: StreamChunk }>) {
  const chunks: StreamChunk[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value.chunk);
  }
  return chunks;
}

describe('chatRoute', () => {
  it('serves a whole chat from app/api/chat/[...confab]/route.ts: thread, streamed answer, history', async () => {
    const app = chatApp(scriptedModel({ pieces: ['Hello', ', ', 'Next', '!'] }));
    const thread = await app.createThread();

    const response = await app.send(thread.id, 'Hi from a route handler');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('cache-control')).toContain('no-transform');
    const raw = await response.text();
    // Every chunk carries an SSE id (for resuming), and the stream ends with [DONE].
    expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(raw).toMatch(/^id: 1$/m);
    expect(raw).toMatch(/^id: 4\.1$/m);
    const chunks = await readChunks(parseChunkStream(new Response(raw).body!).getReader());
    expect(chunks.map((chunk) => chunk.type)).toEqual([
      'message-created',
      'thread-updated',
      'message-created',
      'run-started',
      'text-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-end',
      'message-updated',
      'thread-updated',
      'run-finished',
    ]);
    const deltas = chunks.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : []));
    expect(deltas.join('')).toBe('Hello, Next!');

    const history = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(history.status).toBe(200);
    expect(history.json.items.map((message: any) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(messageText(history.json.items[0])).toBe('Hi from a route handler');
    expect(messageText(history.json.items[1])).toBe('Hello, Next!');

    const threads = await app.call('GET', '/threads');
    expect(threads.json.items).toHaveLength(1);
    expect(threads.json.items[0]).toMatchObject({
      id: thread.id,
      title: 'Hi from a route handler',
    });
  });

  it('streams each chunk as soon as the model produces it', async () => {
    const { model, release } = gatedModel();
    const app = chatApp(model);
    const thread = await app.createThread();
    const response = await app.send(thread.id, 'go');
    const reader = parseChunkStream(response.body!).getReader();
    const types: string[] = [];
    while (!types.includes('text-delta')) types.push((await reader.read()).value!.chunk.type);
    // The first delta is here while the model is still blocked.
    expect(types).toEqual([
      'message-created',
      'thread-updated',
      'message-created',
      'run-started',
      'text-start',
      'text-delta',
    ]);
    release();
    const rest = await readChunks(reader);
    expect(rest.map((chunk) => chunk.type)).toEqual([
      'text-delta',
      'text-end',
      'message-updated',
      'thread-updated',
      'run-finished',
    ]);
  });

  it('stops a running answer through POST /threads/:id/stop; the stream ends and the answer is stored as cancelled', async () => {
    const pieces = Array.from({ length: 200 }, (_, index) => `${index} `);
    const app = chatApp(scriptedModel({ pieces, delayMs: 5 }));
    const thread = await app.createThread();
    const response = await app.send(thread.id, 'Tell me something long');
    const reader = parseChunkStream(response.body!).getReader();
    const seen: StreamChunk[] = [];
    while (!seen.some((chunk) => chunk.type === 'text-delta')) {
      seen.push((await reader.read()).value!.chunk);
    }

    const stopped = await app.call('POST', `/threads/${thread.id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.json.stopped).toBe(true);

    const rest = await readChunks(reader);
    const end = finalAnswer(rest);
    expect(end).toMatchObject({ status: 'cancelled' });
    expect(stopped.json.messageId).toBe(end?.id);
    const streamed = [...seen, ...rest]
      .flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : []))
      .join('');
    expect(streamed.length).toBeLessThan(pieces.join('').length);

    const history = await app.call('GET', `/threads/${thread.id}/messages`);
    const answer = history.json.items[1];
    expect(answer.status).toBe('cancelled');
    // What was streamed before the stop is kept.
    expect(messageText(answer)).toBe(streamed);
    const again = await app.call('POST', `/threads/${thread.id}/stop`);
    expect(again.json).toEqual({ stopped: false, messageId: null });
  });

  it('keeps generating and stores the whole answer when the client goes away mid-stream', async () => {
    const pieces = Array.from({ length: 20 }, (_, index) => `${index} `);
    const app = chatApp(scriptedModel({ pieces, delayMs: 5 }));
    const thread = await app.createThread();
    const controller = new AbortController();
    const response = await app.send(thread.id, 'go', { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    // What Next.js does when the browser closes the connection: abort and cancel the body.
    controller.abort();
    await reader.cancel();
    await app.handler.idle();
    const history = await app.call('GET', `/threads/${thread.id}/messages`);
    expect(history.json.items[1].status).toBe('complete');
    expect(messageText(history.json.items[1])).toBe(pieces.join(''));
  });

  it('passes the request signal through, so the handler sees the client go away', async () => {
    let seen: AbortSignal | undefined;
    const route = chatRoute(async (request) => {
      seen = request.signal;
      return new Response('ok');
    });
    const controller = new AbortController();
    const request = new Request('http://localhost/api/chat/threads', {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await callRoute(route, request, '/api/chat');
    expect(seen?.aborted).toBe(false);
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });

  it('derives the mount path from the URL and the catch-all segments, wherever the folder is', async () => {
    const seen: string[] = [];
    const route = chatRoute(async (request) => {
      const url = new URL(request.url);
      seen.push(`${request.method} ${url.pathname}${url.search} ${await request.text()}`);
      return new Response(null, { status: 204 });
    });
    const at = (path: string, init?: RequestInit) =>
      new Request(`https://example.com${path}`, init);

    // app/teams/[team]/assistant/[...confab]/route.ts, behind a basePath, with a query string.
    await callRoute(
      route,
      at('/docs/teams/acme/assistant/threads?limit=5'),
      '/docs/teams/acme/assistant',
      {
        team: 'acme',
      },
    );
    // trailingSlash: true in next.config.
    await callRoute(route, at('/api/chat/threads/t1/messages/'), '/api/chat');
    // A body goes through with the new URL.
    await callRoute(
      route,
      at('/api/chat/threads/t1', { method: 'PATCH', body: '{"title":"Renamed"}' }),
      '/api/chat',
    );
    // An optional catch-all (`[[...confab]]`) requested at its folder has no segments.
    await route.GET(at('/api/chat'), { params: Promise.resolve({}) });
    // Next.js 14 passed params as a plain object.
    await route.GET(at('/api/chat/health'), { params: { confab: ['health'] } });

    expect(seen).toEqual([
      'GET /threads?limit=5 ',
      'GET /threads/t1/messages ',
      'PATCH /threads/t1 {"title":"Renamed"}',
      'GET / ',
      'GET /health ',
    ]);
  });

  it('keeps an encoded slash inside one segment', async () => {
    const app = chatApp();
    // Next.js matches `threads/a%2Fb` as two segments, ["threads", "a/b"].
    const result = await app.call('GET', '/threads/a%2Fb');
    expect(result.status).toBe(404);
    expect(result.json.error).toEqual({ code: 'not_found', message: 'Thread not found.' });
  });

  it('creates the handler from options, honouring a basePath given there', async () => {
    const options = { store: memoryStore(), model: scriptedModel(), auth: devAuth() };
    for (const route of [chatRoute(options), chatRoute({ ...options, basePath: '/chat/' })]) {
      const created = await callRoute(
        route,
        new Request('http://localhost/api/chat/threads', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'From options' }),
        }),
        '/api/chat',
      );
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ title: 'From options', ownerId: 'demo' });
    }
  });

  it('hands a request over unchanged when called without the route context', async () => {
    const handler = createChatHandler({
      store: memoryStore(),
      model: scriptedModel(),
      auth: devAuth(),
      basePath: '/api/chat',
    });
    const response = await chatRoute(handler).GET(new Request('http://localhost/api/chat/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('answers JSON 500 when a handler of yours throws', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const route = chatRoute(() => {
        throw new Error('database on fire');
      });
      const response = await callRoute(
        route,
        new Request('http://localhost/api/chat/threads'),
        '/api/chat',
      );
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toEqual({
        error: { code: 'internal_error', message: 'Something went wrong on the server.' },
      });
      expect(errors).toHaveLength(1);
    } finally {
      console.error = original;
    }
  });

  it('keeps two users apart behind the route', async () => {
    const app = chatApp();
    const thread = await app.createThread('ada');
    await (await app.send(thread.id, 'mine', { user: 'ada' })).text();
    const other = await app.call('GET', `/threads/${thread.id}/messages`, { user: 'bob' });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not_found');
    expect((await app.call('GET', '/threads', { user: 'bob' })).json.items).toEqual([]);
  });
});

describe('@confab/server/next in the Edge runtime', () => {
  const sourceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const coreRoot = resolve(sourceRoot, '../../core/src');

  /** Every module `from` loads at run time (type-only imports are erased), and the packages. */
  function runtimeImports(entry: string) {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const source = readFileSync(file, 'utf8');
      const pattern =
        /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
      for (const match of source.matchAll(pattern)) {
        if (match[1]) continue;
        const specifier = (match[2] ?? match[3])!;
        if (specifier.startsWith('.')) visit(resolveSource(join(dirname(file), specifier)));
        else if (specifier === '@confab/core') visit(join(coreRoot, 'index.ts'));
        else packages.add(specifier);
      }
    };
    visit(entry);
    return { files: [...files], packages: [...packages] };
  }

  function resolveSource(path: string): string {
    for (const candidate of [`${path}.ts`, `${path}.tsx`, join(path, 'index.ts'), path]) {
      try {
        readFileSync(candidate);
        return candidate;
      } catch {}
    }
    throw new Error(`Cannot resolve ${path}`);
  }

  it('imports no Node.js module, directly or through @confab/core', () => {
    const { files, packages } = runtimeImports(join(sourceRoot, 'next.ts'));
    // The walk reached the handler and core, so an empty result below means something.
    expect(files.some((file) => file.endsWith('create-chat-handler.ts'))).toBe(true);
    expect(files.some((file) => file.startsWith(coreRoot))).toBe(true);
    expect(packages.filter((name) => isBuiltin(name))).toEqual([]);
    // The database layer and Express, which other entries of this package use, stay out too.
    expect(packages.filter((name) => ['pg', 'express', 'kysely'].includes(name))).toEqual([]);
  });
});
