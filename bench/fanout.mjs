// Entry: how a thread's live events reach its followers. (a) Across instances: the latency from
// a delta produced on instance A to a follower on instance B, over the PostgreSQL and the Redis
// bus, against a follower on A itself. (b) On one instance: the CPU and memory it takes to deliver
// one answer to 1, 100 and 1,000 followers, against a bare fan-out of the same bytes.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { encodeSseEvent, STREAM_DONE } from '../packages/core/dist/index.js';
import {
  createChatHandler,
  devAuth,
  inProcessBus,
  inProcessBusRegistry,
  memoryStore,
} from '../packages/server-adapters/dist/index.js';
import { postgresBus, postgresStore } from '../packages/server-adapters/dist/postgres.js';
import { redisBus } from '../packages/server-adapters/dist/redis.js';

// eventsource-parser and pg are the packages' dependencies, not the workspace root's.
const requireFromCore = createRequire(new URL('../packages/core/package.json', import.meta.url));
const { createParser } = await import(
  pathToFileURL(requireFromCore.resolve('eventsource-parser')).href
);
const pg = createRequire(new URL('../packages/server-adapters/package.json', import.meta.url))(
  'pg',
);

const TOKEN_INTERVAL_MS = 25;
const LATENCY_TOKENS = 200;
const LATENCY_ROUNDS = 3;
const FANOUT_TOKENS = 200;
const FANOUT_FOLLOWERS = [1, 100, 1_000];
const FANOUT_ROUNDS = 3;
/** After the followers connect and before the send: the other instance hears their watch. */
const SETTLE_MS = 250;
const BASE_URL = 'http://bench.local';
const USER = 'bench';
const MODEL_INFO = { id: 'bench-paced', label: 'Bench', provider: 'bench', contextWindow: 8192 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A model that sends a token every 25 ms, token *i* due (*i* + 1) × 25 ms after the first pull,
 * as a provider does whatever the load. Each token's text is the moment it was produced
 * (`performance.now()`, one clock for the whole process), so a follower that reads it knows how
 * long it took to arrive.
 */
function timestampedModel(tokens) {
  return {
    models: () => [MODEL_INFO],
    async *stream({ signal }) {
      const start = performance.now();
      for (let index = 0; index < tokens; index++) {
        const wait = start + (index + 1) * TOKEN_INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
        if (signal.aborted) return;
        yield { type: 'text-delta', delta: `${performance.now().toFixed(3)} ` };
      }
      yield {
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: tokens },
      };
    },
  };
}

function request(method, path, body) {
  return new Request(`${BASE_URL}${path}`, {
    method,
    headers: { 'x-confab-user': USER, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function createThread(handler) {
  const response = await handler(request('POST', '/threads', {}));
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`POST /threads answered ${response.status}`);
  }
  return (await response.json()).id;
}

/**
 * Reads an SSE body as a client would (eventsource-parser), until `run-finished` or the end.
 * With `timed`, every text delta's arrival time minus its production time is kept; without, the
 * deltas are only counted (their JSON is not parsed: 1,000 readers are in the CPU figures too).
 */
function follow(response, { timed = false } = {}) {
  if (response.status !== 200) throw new Error(`a stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const state = { deltas: 0, latencies: [], finished: false, snapshots: 0 };
  const parser = createParser({
    onEvent(event) {
      const { data } = event;
      if (data.startsWith('{"type":"text-delta"')) {
        state.deltas++;
        if (timed) {
          const now = performance.now();
          state.latencies.push(now - Number.parseFloat(JSON.parse(data).delta));
        }
      } else if (data.startsWith('{"type":"message-updated"') && data.includes('"streaming"')) {
        // The answer so far, sent to a follower that joined late: its deltas were not live.
        state.snapshots++;
      } else if (data.startsWith('{"type":"run-finished"')) {
        state.finished = true;
      }
    },
  });
  state.done = (async () => {
    while (!state.finished) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  })();
  state.cancel = () => reader.cancel().catch(() => {});
  return state;
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

// --- (a) latency between instances -------------------------------------------------------------

/** A fresh PostgreSQL database of its own, dropped by the returned function. */
async function freshDatabase(serverUrl) {
  const name = `confab_bench_fanout_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Two instances in this process, each with its own store connection and bus. */
async function instancePair(kind) {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (kind === 'in-process') {
    // One store object and one bus registry: two handlers that share memory, the bus-free floor.
    const store = memoryStore();
    const registry = inProcessBusRegistry();
    return {
      parts: [0, 1].map(() => ({ store, bus: inProcessBus({ registry }) })),
      close: async () => {},
    };
  }
  if (!databaseUrl) return { skipped: 'needs DATABASE_URL (both instances share a database)' };
  if (kind === 'redis' && !redisUrl) return { skipped: 'needs REDIS_URL' };
  const database = await freshDatabase(databaseUrl);
  const prefix = `confab-bench:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
  const parts = [];
  for (let index = 0; index < 2; index++) {
    // One after the other: the first applies the migrations.
    const store = await postgresStore({ connectionString: database.url });
    const bus =
      kind === 'postgres'
        ? await postgresBus({ connectionString: database.url })
        : await redisBus({
            url: redisUrl,
            channelPrefix: prefix,
            clientName: `confab-bench-${index}`,
          });
    parts.push({ store, bus });
  }
  return {
    parts,
    async close() {
      for (const { store, bus } of parts) {
        await bus.close();
        await store.close?.();
      }
      await database.drop();
    },
  };
}

async function latencyRound(pair) {
  const [a, b] = pair.handlers;
  const threadId = await createThread(a);
  // Followers first, A's then B's, so the run finds B's watch in place when it starts.
  const local = follow(await a(request('GET', `/threads/${threadId}/events`)), { timed: true });
  const remote = follow(await b(request('GET', `/threads/${threadId}/events`)), { timed: true });
  await sleep(SETTLE_MS);
  const sent = follow(await a(request('POST', `/threads/${threadId}/messages`, { text: 'hi' })));
  const budget = LATENCY_TOKENS * TOKEN_INTERVAL_MS + 30_000;
  await withTimeout(Promise.all([sent.done, local.done, remote.done]), budget, 'an answer');
  local.cancel();
  remote.cancel();
  await Promise.all([a.idle(), b.idle()]);
  for (const [name, state] of [
    ['the sender', sent],
    ['the follower on A', local],
    ['the follower on B', remote],
  ]) {
    if (!state.finished) throw new Error(`${name} did not see run-finished`);
    if (state.deltas + state.snapshots === 0) throw new Error(`${name} saw no delta`);
  }
  return { local, remote };
}

async function latency(log) {
  const kinds = [
    { kind: 'in-process', label: 'in-process bus, shared memoryStore (floor)' },
    { kind: 'postgres', label: 'postgresBus (LISTEN/NOTIFY), postgresStore' },
    { kind: 'redis', label: 'redisBus (pub/sub), postgresStore' },
  ];
  const pairs = [];
  for (const { kind, label } of kinds) {
    const pair = await instancePair(kind);
    if (pair.skipped) {
      log(`fanout latency: ${label} skipped: ${pair.skipped}`);
      pairs.push({ kind, label, skipped: pair.skipped });
      continue;
    }
    const model = timestampedModel(LATENCY_TOKENS);
    const handlers = pair.parts.map(({ store, bus }) =>
      createChatHandler({ store, bus, model, auth: devAuth() }),
    );
    pairs.push({
      kind,
      label,
      pair,
      handlers,
      samples: { local: [], remote: [] },
      counts: { local: 0, remote: 0, snapshots: 0 },
    });
  }
  const active = pairs.filter((pair) => !pair.skipped);
  try {
    // One warm-up answer each, then the rounds, the buses interleaved in a rotating order.
    for (const pair of active) await latencyRound(pair);
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (let step = 0; step < active.length; step++) {
        const pair = active[(step + round) % active.length];
        const { local, remote } = await latencyRound(pair);
        pair.samples.local.push(...local.latencies);
        pair.samples.remote.push(...remote.latencies);
        pair.counts.local += local.deltas;
        pair.counts.remote += remote.deltas;
        pair.counts.snapshots += remote.snapshots;
      }
    }
  } finally {
    for (const pair of active) {
      await Promise.all(pair.handlers.map((handler) => handler.close()));
      await pair.pair.close();
    }
  }
  const expected = LATENCY_TOKENS * LATENCY_ROUNDS;
  const rows = [];
  for (const pair of pairs) {
    if (pair.skipped) {
      rows.push({ bus: pair.label, follower: `skipped: ${pair.skipped}` });
      continue;
    }
    for (const where of ['local', 'remote']) {
      const samples = pair.samples[where];
      rows.push({
        bus: pair.label,
        follower: where === 'local' ? 'on A (where it runs)' : 'on B (across the bus)',
        p50: quantile(samples, 0.5),
        p99: quantile(samples, 0.99),
        max: Math.max(...samples),
        live: `${pair.counts[where]}/${expected}`,
        extraP50:
          where === 'remote'
            ? quantile(samples, 0.5) - quantile(pair.samples.local, 0.5)
            : undefined,
        samplesMs: samples,
      });
    }
  }
  return rows;
}

// --- (b) one answer, many followers on one instance --------------------------------------------

/**
 * The baseline: a bare fan-out with no store and no hub. Each follower is a `ReadableStream`; the
 * model's tokens are encoded once, as the SSE event the handler writes (`id: <run>.<n>`, the same
 * `text-delta` JSON), and the same bytes enqueued to every follower, then `run-finished`.
 */
function bareFanout(followers, { encodeEach = false } = {}) {
  const encoder = new TextEncoder();
  const controllers = new Set();
  const responses = Array.from(
    { length: followers },
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controllers.add(controller);
          },
          cancel() {},
        }),
        { headers: { 'content-type': 'text/event-stream; charset=utf-8' } },
      ),
  );
  const encode = (id, chunk) => encoder.encode(encodeSseEvent({ id, data: JSON.stringify(chunk) }));
  const broadcast = (id, chunk) => {
    if (encodeEach) {
      for (const controller of controllers) controller.enqueue(encode(id, chunk));
      return;
    }
    const bytes = encode(id, chunk);
    for (const controller of controllers) controller.enqueue(bytes);
  };
  return {
    responses,
    async send() {
      const model = timestampedModel(FANOUT_TOKENS);
      let position = 1;
      broadcast('4.1', { type: 'text-start', messageId: 'bench', id: '0' });
      for await (const event of model.stream({ signal: new AbortController().signal })) {
        if (event.type !== 'text-delta') continue;
        broadcast(`4.${++position}`, { type: 'text-delta', id: '0', delta: event.delta });
      }
      broadcast(`4.${++position}`, { type: 'text-end', id: '0' });
      broadcast('7', { type: 'run-finished', messageId: 'bench', status: 'complete' });
      const done = encoder.encode(encodeSseEvent({ data: STREAM_DONE }));
      for (const controller of controllers) {
        controller.enqueue(done);
        controller.close();
      }
    },
  };
}

async function fanoutRound(kind, followers) {
  let responses;
  let send;
  let handler;
  const heldBytes = () => {
    globalThis.gc?.();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const heldBefore = heldBytes();
  const rssBefore = process.memoryUsage.rss();
  if (kind !== 'handler') {
    const bare = bareFanout(followers, { encodeEach: kind === 'bare-encode-each' });
    responses = bare.responses;
    send = () => bare.send();
  } else {
    handler = createChatHandler({
      store: memoryStore(),
      model: timestampedModel(FANOUT_TOKENS),
      auth: devAuth(),
    });
    const threadId = await createThread(handler);
    responses = [];
    for (let index = 0; index < followers; index++) {
      responses.push(await handler(request('GET', `/threads/${threadId}/events`)));
    }
    send = async () => {
      const sent = follow(
        await handler(request('POST', `/threads/${threadId}/messages`, { text: 'hi' })),
      );
      await sent.done;
    };
  }
  const states = responses.map((response) => follow(response));
  await sleep(50);
  // What the connected, idle followers keep alive: heap and buffers after a gc.
  const heldPerFollower = (heldBytes() - heldBefore) / followers;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await withTimeout(
    Promise.all([send(), ...states.map((state) => state.done)]),
    FANOUT_TOKENS * TOKEN_INTERVAL_MS + 60_000,
    'the fan-out',
  );
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // Checked after the meter stopped: every follower saw every delta, live, and the end.
  for (const state of states) {
    if (!state.finished || state.deltas !== FANOUT_TOKENS) {
      throw new Error(`a follower saw ${state.deltas} of ${FANOUT_TOKENS} deltas (${kind})`);
    }
  }
  for (const state of states) state.cancel();
  if (handler) {
    await handler.idle();
    await handler.close();
  }
  return {
    cpuMicroseconds: cpu.user + cpu.system,
    wallMs,
    rssBeforeMB: rssBefore / 2 ** 20,
    peakRssMB: peakRss / 2 ** 20,
    heldPerFollower,
  };
}

async function fanout() {
  const kinds = ['bare', 'bare-encode-each', 'handler'];
  const results = new Map();
  for (const followers of FANOUT_FOLLOWERS) {
    // One warm-up round of each, then the rounds, alternating which goes first.
    for (const kind of kinds) await fanoutRound(kind, followers);
    for (let round = 0; round < FANOUT_ROUNDS; round++) {
      for (let step = 0; step < kinds.length; step++) {
        const kind = kinds[(step + round) % kinds.length];
        const key = `${kind}:${followers}`;
        if (!results.has(key)) results.set(key, []);
        results.get(key).push(await fanoutRound(kind, followers));
      }
    }
  }
  const rows = [];
  for (const followers of FANOUT_FOLLOWERS) {
    const bare = results.get(`bare:${followers}`);
    for (const kind of kinds) {
      const samples = results.get(`${kind}:${followers}`);
      const delivered = FANOUT_TOKENS * followers;
      const cpu = samples.map((sample) => sample.cpuMicroseconds);
      rows.push({
        followers,
        case: {
          bare: 'bare fan-out, bytes encoded once (baseline)',
          'bare-encode-each': 'bare fan-out, encoded per follower',
          handler: 'createChatHandler, memoryStore, GET /threads/:id/events',
        }[kind],
        cpuMs: quantile(cpu, 0.5) / 1000,
        microsecondsPerDelivery: quantile(cpu, 0.5) / delivered,
        ratio: quantile(
          cpu.map((value, index) => value / bare[index].cpuMicroseconds),
          0.5,
        ),
        peakRssMB: Math.max(...samples.map((sample) => sample.peakRssMB)),
        rssGrowthMB: quantile(
          samples.map((sample) => sample.peakRssMB - sample.rssBeforeMB),
          0.5,
        ),
        heldPerFollowerKB:
          quantile(
            samples.map((sample) => sample.heldPerFollower),
            0.5,
          ) / 1024,
        wallS:
          quantile(
            samples.map((sample) => sample.wallMs),
            0.5,
          ) / 1000,
        samples,
      });
    }
  }
  return rows;
}

export async function fanoutEntry({ log }) {
  const latencyRows = await latency(log);
  const fanoutRows = await fanout();
  const latencyLines = latencyRows.map((row) =>
    row.p50 === undefined
      ? `  ${row.bus}: ${row.follower}`
      : `  ${row.bus.padEnd(44)} ${row.follower.padEnd(22)} p50 ${row.p50.toFixed(2)} ms, ` +
        `p99 ${row.p99.toFixed(2)} ms, max ${row.max.toFixed(1)} ms, live deltas ${row.live}` +
        (row.extraP50 === undefined ? '' : `, +${row.extraP50.toFixed(2)} ms p50 over A`),
  );
  return {
    title: `Fan-out: live deltas across instances and to many followers (a token every ${TOKEN_INTERVAL_MS} ms)`,
    description: [
      `(a) latency, delta produced on A to read by a follower, ${LATENCY_TOKENS} tokens x ${LATENCY_ROUNDS} rounds per bus:`,
      ...latencyLines,
      `(b) one answer of ${FANOUT_TOKENS} tokens to N followers on one instance, median of ${FANOUT_ROUNDS} rounds; ` +
        'CPU of the whole process (model, handler, readers), per delivered delta = CPU / (deltas x followers):',
    ],
    parameters: {
      tokenIntervalMs: TOKEN_INTERVAL_MS,
      latencyTokens: LATENCY_TOKENS,
      latencyRounds: LATENCY_ROUNDS,
      fanoutTokens: FANOUT_TOKENS,
      fanoutFollowers: FANOUT_FOLLOWERS,
      fanoutRounds: FANOUT_ROUNDS,
    },
    latency: latencyRows,
    columns: [
      { key: 'followers', label: 'followers' },
      { key: 'case', label: 'case', align: 'left' },
      { key: 'cpuMs', label: 'CPU ms', digits: 0 },
      { key: 'microsecondsPerDelivery', label: 'CPU µs/delivery', digits: 2 },
      { key: 'ratio', label: 'CPU vs bare', digits: 2, suffix: '×' },
      { key: 'peakRssMB', label: 'peak RSS MB', digits: 0 },
      { key: 'rssGrowthMB', label: 'RSS growth MB', digits: 1 },
      { key: 'heldPerFollowerKB', label: 'KB held/follower', digits: 1 },
      { key: 'wallS', label: 'wall s', digits: 2 },
    ],
    rows: fanoutRows,
    notes: [
      'CPU vs bare: median over the rounds of (CPU / the bare fan-out CPU of the same round).',
      'RSS growth: peak RSS during the answer minus RSS before the followers connected (after a gc);',
      'KB held/follower: heap + external memory after a gc with the followers connected and idle, minus before, per follower.',
    ],
  };
}
