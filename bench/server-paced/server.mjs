// The server child of the `paced` entry, started by `bench/server-paced.mjs` with an IPC channel:
// a real `http.createServer` on 127.0.0.1 (random port) serving either the chat handler over a
// store (through the Node adapter) or the bare baseline. It measures itself, so the numbers are
// this process's alone: the parent sends `start` before its first request and `stop` after it
// has read the last byte, and gets back the CPU time used in between and the peak RSS.
//
// CONFAB_PACED_SERVER: bare | memory | sqlite | postgres; CONFAB_PACED_DATABASE: the SQLite file or the
// PostgreSQL connection string; CONFAB_PACED_TOKENS and CONFAB_PACED_INTERVAL_MS: the pacing.
import { createServer } from 'node:http';
import { encodeSseEvent, STREAM_DONE } from '../../packages/core/dist/index.js';
import { pacedModel, pacedTokens, seedOf } from './paced-model.mjs';

const kind = process.env.CONFAB_PACED_SERVER;
const tokens = Number(process.env.CONFAB_PACED_TOKENS);
const intervalMs = Number(process.env.CONFAB_PACED_INTERVAL_MS);
const SCOPE = { userId: 'bench' };
const RSS_SAMPLE_MS = 100;

const errors = [];
let close = async () => {};
let listener;

if (kind === 'bare') {
  listener = bareListener;
} else {
  // Loaded only here, so that the bare server's memory holds none of the handler's modules.
  const { createChatHandler } = await import('../../packages/server-adapters/dist/index.js');
  const { toNodeListener } = await import('../../packages/server-adapters/dist/node.js');
  const store = await openStore(kind, process.env.CONFAB_PACED_DATABASE);
  const handler = createChatHandler({
    store,
    model: pacedModel({ tokens, intervalMs }),
    auth: () => SCOPE,
    // CONFAB_BENCH_PACED_FLUSH_MS (a diagnostic): 3600000 takes the partial-answer writes out.
    ...(process.env.CONFAB_BENCH_PACED_FLUSH_MS
      ? { flushIntervalMs: Number(process.env.CONFAB_BENCH_PACED_FLUSH_MS) }
      : {}),
    onError: (error) => errors.push(String(error?.stack ?? error)),
  });
  listener = toNodeListener(handler);
  close = async () => {
    await handler.close();
    await store.close();
  };
}

async function openStore(name, database) {
  if (name === 'memory') {
    const { memoryStore } = await import('../../packages/server-adapters/dist/index.js');
    return memoryStore();
  }
  if (name === 'sqlite') {
    const { sqliteStore } = await import('../../packages/server-adapters/dist/sqlite.js');
    return sqliteStore({ filename: database });
  }
  if (name === 'postgres') {
    const { postgresStore } = await import('../../packages/server-adapters/dist/postgres.js');
    return postgresStore({ connectionString: database });
  }
  throw new Error(`Unknown server "${name}"`);
}

/**
 * The least a chat server can do per answer: read the request's JSON body, then write each paced
 * token as the same SSE event the handler writes (`id: <run seq>.<position>`, a `text-delta`
 * chunk of part `0`, the same bytes), then `data: [DONE]`. No store, no run, no Fetch objects.
 */
async function bareListener(request, response) {
  let body = '';
  request.setEncoding('utf8');
  for await (const piece of request) body += piece;
  const match = /^\/threads\/[^/]+\/messages$/.exec(request.url ?? '');
  if (request.method !== 'POST' || !match) {
    response.writeHead(404).end();
    return;
  }
  const { text } = JSON.parse(body);
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
  });
  // The handler numbers an answer's live chunks after its `run-started` event (the third event
  // of a new thread's log); its `text-start` is position 1, so the first delta is position 2.
  const runSeq = 3;
  let position = 2;
  try {
    for await (const delta of pacedTokens(seedOf(text), {
      tokens,
      intervalMs,
      signal: controller.signal,
    })) {
      const data = JSON.stringify({ type: 'text-delta', id: '0', delta });
      response.write(encodeSseEvent({ id: `${runSeq}.${position++}`, data }));
    }
    response.end(encodeSseEvent({ data: STREAM_DONE }));
  } catch (error) {
    if (!controller.signal.aborted) errors.push(String(error?.stack ?? error));
    response.destroy();
  }
}

const server = createServer(listener);
// Room for a burst of connections in the accept queue (Node's default backlog is 511).
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.send({ type: 'ready', port: server.address().port });
});

let measuring = null;
process.on('message', async (message) => {
  if (message.type === 'start') {
    globalThis.gc?.();
    const rss = { peak: process.memoryUsage.rss() };
    const sampler = setInterval(() => {
      rss.peak = Math.max(rss.peak, process.memoryUsage.rss());
    }, RSS_SAMPLE_MS);
    sampler.unref();
    measuring = { cpu: process.cpuUsage(), rss, sampler, errors: errors.length };
    process.send({ type: 'started' });
  } else if (message.type === 'stop') {
    const cpu = process.cpuUsage(measuring.cpu);
    clearInterval(measuring.sampler);
    measuring.rss.peak = Math.max(measuring.rss.peak, process.memoryUsage.rss());
    process.send({
      type: 'stats',
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      peakRssBytes: measuring.rss.peak,
      // The kernel's peak for the whole process (KiB), sampling gaps and start-up included.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      errors: errors.slice(measuring.errors),
    });
  } else if (message.type === 'close') {
    server.closeAllConnections();
    server.close();
    await close();
    process.disconnect();
  }
});
