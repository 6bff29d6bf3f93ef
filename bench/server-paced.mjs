// Entry: the server's CPU time and memory while it streams hundreds to a thousand answers at once
// from a model that sends a token every 25 ms, storing each answer as it streams (the handler
// writes the partial answer at least every 500 ms: the `server` entry's instant model never gets
// there). The server runs in a child process, measured alone; this process is the load generator.
// The baseline is a bare `http.createServer` child that streams the same paced tokens as the same
// SSE events, at the same concurrency, in the same run.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerText, questionText } from './server-paced/paced-model.mjs';

// CONFAB_BENCH_PACED_TOKENS (a diagnostic): 1 leaves the fixed cost of a send, nearly alone.
const TOKENS = Number(process.env.CONFAB_BENCH_PACED_TOKENS ?? 200);
const INTERVAL_MS = 25;
const CONCURRENCY = Number(process.env.CONFAB_BENCH_PACED_CONCURRENCY ?? 1000);
const ROUNDS = Number(process.env.CONFAB_BENCH_PACED_ROUNDS ?? 3);
/** The answers start evenly over this time, as users arrive, not in one burst. */
const RAMP_MS = 1000;
/**
 * Answers streamed before the clock starts, on threads of their own: a server that has run a
 * while has loaded its modules lazily imported on first use, and its hot code is compiled.
 */
const WARMUP_ANSWERS = 50;
/** Parallel requests when creating threads and reading the answers back (untimed). */
const SETUP_PARALLEL = 25;
/** A stream silent for this long is cut and counted as an error. */
const IDLE_TIMEOUT_MS = 30_000;
const serverScript = new URL('./server-paced/server.mjs', import.meta.url);
// With CONFAB_BENCH_PACED_PROFILE=<folder>, every server child writes a V8 CPU profile there.
const profileDirectory = process.env.CONFAB_BENCH_PACED_PROFILE;
// With CONFAB_BENCH_PACED_CASES=bare,memory (a diagnostic), only those servers run; the bare
// baseline always does, since every ratio is to it.
const onlyKinds = process.env.CONFAB_BENCH_PACED_CASES?.split(',');

// The load generator's sockets: no cap on their number (Node's default agent has none either,
// but it is global state; fetch's undici pool has none by default, but costs the parent more
// CPU per chunk, which it shares the 2 cores with the server).
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/** Starts a server child and waits until it listens. */
async function startServer(kind, database) {
  const execArgv = ['--expose-gc', '--disable-warning=ExperimentalWarning'];
  if (profileDirectory) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDirectory}`);
  const child = fork(serverScript, [], {
    execArgv,
    env: {
      ...process.env,
      CONFAB_PACED_SERVER: kind,
      CONFAB_PACED_DATABASE: database ?? '',
      CONFAB_PACED_TOKENS: String(TOKENS),
      CONFAB_PACED_INTERVAL_MS: String(INTERVAL_MS),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const next = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code) => reject(new Error(`the ${kind} server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { port } = await next('ready');
  return {
    port,
    async measure(work) {
      const started = next('started');
      child.send({ type: 'start' });
      await started;
      const result = await work();
      const stats = next('stats');
      child.send({ type: 'stop' });
      return { result, stats: await stats };
    },
    async stop() {
      child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One HTTP request with a small JSON body; resolves with the status and the whole body. */
function requestJson(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = httpRequest(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: payload ? { 'content-type': 'application/json' } : {},
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (piece) => {
          text += piece;
        });
        response.on('end', () => resolve({ status: response.statusCode, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);
const DATA_LINE = Buffer.from('\ndata:');
const DONE_END = Buffer.from('\ndata: [DONE]\n\n');

/**
 * Sends one question and reads its SSE answer to the last byte, counting the `data:` lines (the
 * only thing read from the events, so the entry outlives changes to their JSON). Never throws:
 * a failure comes back as `{ error }`.
 */
function streamAnswer(port, threadId, seed) {
  return new Promise((resolve) => {
    const sent = performance.now();
    const payload = JSON.stringify({ text: questionText(seed) });
    const request = httpRequest(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/threads/${encodeURIComponent(threadId)}/messages`,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      },
      (response) => {
        const headersMs = performance.now() - sent;
        // Counted on the bytes: every `data:` line follows a newline (the stream's start counts
        // as one). `carry` keeps the bytes a match may continue from; `tail`, the stream's end.
        let carry = NEWLINE;
        let tail = EMPTY;
        let events = 0;
        response.on('data', (piece) => {
          const bytes = Buffer.concat([carry, piece]);
          for (
            let at = bytes.indexOf(DATA_LINE);
            at !== -1;
            at = bytes.indexOf(DATA_LINE, at + 1)
          ) {
            events++;
          }
          carry = bytes.subarray(Math.max(0, bytes.length - (DATA_LINE.length - 1)));
          const end = piece.length >= DONE_END.length ? piece : Buffer.concat([tail, piece]);
          tail = end.subarray(Math.max(0, end.length - DONE_END.length));
        });
        response.on('end', () => {
          const status = response.statusCode;
          if (status !== 200) resolve({ error: `status ${status}` });
          else if (!tail.equals(DONE_END)) resolve({ error: 'no [DONE] at the end' });
          else resolve({ events: events - 1, headersMs, durationMs: performance.now() - sent });
        });
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    request.setTimeout(IDLE_TIMEOUT_MS, () => request.destroy(new Error('idle timeout')));
    request.on('error', (error) => resolve({ error: error.message }));
    request.end(payload);
  });
}

/** Runs `work` over `items` with at most `parallel` in flight. */
async function eachLimited(items, parallel, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

/** The stored answer of a thread through the messages route: complete, with the whole text? */
async function storedAnswerIsWhole(port, threadId, seed) {
  const { status, text } = await requestJson(
    port,
    'GET',
    `/threads/${encodeURIComponent(threadId)}/messages?limit=2`,
  );
  if (status !== 200) return false;
  const answer = JSON.parse(text).items?.findLast((message) => message.role === 'assistant');
  const stored = answer?.parts
    ?.filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
  return answer?.status === 'complete' && stored === answerText(seed, TOKENS);
}

/** A fresh PostgreSQL database per run, dropped after it (the logic of the test helper). */
async function createDatabase(serverUrl) {
  // pg is the server package's (optional peer) dependency, not the workspace root's.
  const pg = createRequire(new URL('../packages/server-adapters/package.json', import.meta.url))(
    'pg',
  );
  const administer = async (statement) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const name = `confab_bench_paced_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await administer(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => administer(`drop database if exists ${name} with (force)`),
  };
}

/**
 * One case at one concurrency: each run starts a fresh server child (and a fresh database),
 * creates the threads through the API, then, on the clock and under the child's CPU meter, opens
 * the `concurrency` streams over `RAMP_MS` and reads them all to the end. The check reads every
 * answer back through the messages route. Every run's numbers are kept in `runs`.
 */
function pacedCase({ name, kind, concurrency, directory, serverUrl }) {
  const runs = [];
  let sequence = 0;
  return {
    name,
    runs,
    async setup() {
      let database;
      let dropDatabase = async () => {};
      if (kind === 'sqlite') database = join(directory, `paced-${sequence++}.db`);
      if (kind === 'postgres') {
        const created = await createDatabase(serverUrl);
        database = created.url;
        dropDatabase = created.drop;
      }
      const server = await startServer(kind, database);
      const threadIds = Array.from({ length: concurrency }, (_, index) => `paced-thread-${index}`);
      const warmupIds = Array.from(
        { length: WARMUP_ANSWERS },
        (_, index) => `paced-warmup-${index}`,
      );
      if (kind !== 'bare') {
        await eachLimited([...warmupIds, ...threadIds], SETUP_PARALLEL, async (id) => {
          const { status, text } = await requestJson(server.port, 'POST', '/threads', { id });
          if (status !== 201) throw new Error(`${name}: creating a thread: ${status} ${text}`);
        });
      }
      const warmup = await Promise.all(
        warmupIds.map((threadId, index) =>
          streamAnswer(server.port, threadId, concurrency + index),
        ),
      );
      const failed = warmup.find((stream) => stream.error);
      if (failed) throw new Error(`${name}: a warm-up answer failed: ${failed.error}`);
      return {
        server,
        threadIds,
        async teardown() {
          await server.stop();
          await dropDatabase();
          if (kind === 'sqlite') {
            for (const suffix of ['', '-wal', '-shm'])
              rmSync(`${database}${suffix}`, { force: true });
          }
        },
      };
    },
    async run({ server, threadIds }) {
      const started = performance.now();
      const ownCpu = process.cpuUsage();
      const measured = await server.measure(() =>
        Promise.all(
          threadIds.map(
            (threadId, seed) =>
              new Promise((resolve) => {
                setTimeout(
                  () => resolve(streamAnswer(server.port, threadId, seed)),
                  (seed * RAMP_MS) / threadIds.length,
                );
              }),
          ),
        ),
      );
      const own = process.cpuUsage(ownCpu);
      return {
        ...measured,
        wallMs: performance.now() - started,
        clientCpuSeconds: (own.user + own.system) / 1e6,
      };
    },
    async check({ result, stats, wallMs, clientCpuSeconds }, { server, threadIds }) {
      const failed = result.filter((stream) => stream.error);
      const events = result.filter((stream) => !stream.error).map((stream) => stream.events);
      let stored = null;
      if (kind === 'bare') {
        // No store: the bare server's streams must carry one event per token.
        if (events.some((count) => count !== TOKENS)) failed.push({ error: 'missing tokens' });
      } else {
        const whole = await eachLimited(threadIds, SETUP_PARALLEL, (threadId, seed) =>
          storedAnswerIsWhole(server.port, threadId, seed).catch(() => false),
        );
        stored = whole.filter(Boolean).length;
      }
      runs.push({
        cpuSeconds: stats.cpuUserSeconds + stats.cpuSystemSeconds,
        cpuUserSeconds: stats.cpuUserSeconds,
        cpuSystemSeconds: stats.cpuSystemSeconds,
        peakRssBytes: stats.peakRssBytes,
        maxRssBytes: stats.maxRssBytes,
        streamErrors: failed.length,
        serverErrors: stats.errors.length,
        firstError: failed[0]?.error ?? stats.errors[0] ?? null,
        stored,
        eventsPerAnswer: median(events),
        answerSeconds: quantiles(result, 'durationMs'),
        headersSeconds: quantiles(result, 'headersMs'),
        wallMs,
        clientCpuSeconds,
      });
    },
    teardown: (state) => state.teardown(),
  };
}

/** p50, p90 and max of one timing of the streams that succeeded, in seconds. */
function quantiles(streams, key) {
  const sorted = streams
    .filter((stream) => !stream.error)
    .map((stream) => stream[key] / 1000)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1) };
}

/** The median round's p50 and the highest max of an answer's duration, as `5.1/5.4`. */
function formatSpread(timings) {
  const known = timings.filter(Boolean);
  if (known.length === 0) return null;
  const p50 = median(known.map((timing) => timing.p50));
  const max = Math.max(...known.map((timing) => timing.max));
  return `${p50.toFixed(1)}/${max.toFixed(1)}`;
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
}

export async function serverPaced({ compare, log }) {
  const serverUrl = process.env.DATABASE_URL;
  const concurrencies = [...new Set([CONCURRENCY, 100])];
  const directory = mkdtempSync(join(tmpdir(), 'confab-bench-paced-'));
  const rows = [];
  try {
    for (const concurrency of concurrencies) {
      log(`${concurrency} concurrent answers: ${ROUNDS} rounds...`);
      const cases = [
        { name: 'bare http server (baseline)', kind: 'bare' },
        { name: 'createChatHandler, memoryStore', kind: 'memory' },
        { name: 'createChatHandler, sqliteStore file', kind: 'sqlite' },
        ...(serverUrl ? [{ name: 'createChatHandler, postgresStore', kind: 'postgres' }] : []),
      ]
        .filter((entry) => entry.kind === 'bare' || !onlyKinds || onlyKinds.includes(entry.kind))
        .map((entry) => pacedCase({ ...entry, concurrency, directory, serverUrl }));
      const summaries = await compare(cases, { warmup: 0, repetitions: ROUNDS });
      const baseline = cases[0].runs;
      cases.forEach((benchCase, index) => {
        const runs = benchCase.runs;
        const answers = concurrency * runs.length;
        const stored = benchCase.runs[0].stored === null ? null : sum(runs, 'stored');
        rows.push({
          concurrency,
          case: benchCase.name,
          cpuSeconds: median(runs.map((run) => run.cpuSeconds)),
          cpuRatio: median(runs.map((run, round) => run.cpuSeconds / baseline[round].cpuSeconds)),
          microsecondsPerToken:
            (median(runs.map((run) => run.cpuSeconds)) * 1e6) / concurrency / TOKENS,
          peakRssMiB: Math.max(...runs.map((run) => run.peakRssBytes)) / 2 ** 20,
          maxRssMiB: Math.max(...runs.map((run) => run.maxRssBytes)) / 2 ** 20,
          errors: sum(runs, 'streamErrors') + sum(runs, 'serverErrors'),
          stored: stored === null ? 'n/a (no store)' : `${stored}/${answers}`,
          eventsPerAnswer: median(runs.map((run) => run.eventsPerAnswer)),
          answerSeconds: formatSpread(runs.map((run) => run.answerSeconds)),
          wallSeconds: summaries[index].medianMs / 1000,
          clientCpuSeconds: median(runs.map((run) => run.clientCpuSeconds)),
          firstError: runs.find((run) => run.firstError)?.firstError ?? null,
          runs,
        });
      });
      if (!serverUrl) {
        rows.push({
          concurrency,
          case: 'createChatHandler, postgresStore: skipped (no DATABASE_URL)',
        });
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    agent.destroy();
  }
  for (const row of rows) {
    if (row.firstError) log(`${row.case} at ${row.concurrency}: first error: ${row.firstError}`);
  }

  return {
    title: `Server CPU and memory under real pacing: ${TOKENS} tokens per answer, one every ${INTERVAL_MS} ms`,
    description: [
      `The server in a child process (127.0.0.1, Node adapter); answers starting over ${RAMP_MS} ms, ` +
        'each SSE stream read to the end by this process;',
      `a fresh server (and database) per run; median of ${ROUNDS} rounds, the cases interleaved.`,
    ],
    parameters: {
      tokens: TOKENS,
      intervalMs: INTERVAL_MS,
      concurrencies,
      rounds: ROUNDS,
      rampMs: RAMP_MS,
      answerCharacters: answerText(0, TOKENS).length,
    },
    columns: [
      { key: 'concurrency', label: 'answers at once' },
      { key: 'case', label: 'case', align: 'left' },
      { key: 'cpuSeconds', label: 'server CPU s', digits: 2 },
      { key: 'cpuRatio', label: 'CPU vs bare', digits: 2, suffix: '×' },
      { key: 'microsecondsPerToken', label: 'CPU µs/token', digits: 1 },
      { key: 'peakRssMiB', label: 'peak RSS MB', digits: 0 },
      { key: 'errors', label: 'errors' },
      { key: 'stored', label: 'answers stored whole' },
      { key: 'eventsPerAnswer', label: 'events/answer' },
      { key: 'answerSeconds', label: 'answer s p50/max' },
      { key: 'wallSeconds', label: 'wall s', digits: 2 },
      { key: 'clientCpuSeconds', label: 'client CPU s', digits: 2 },
    ],
    rows,
    notes: [
      'server CPU: user + system time of the server process from its first request to the last',
      'byte read (the model is in it, the load generator and the PostgreSQL server are not);',
      "CPU vs bare: median over the rounds of (CPU / the bare server's CPU in the same round);",
      'peak RSS: the highest RSS sampled every 100 ms during the run, over the rounds;',
      'errors: streams that were not 200 or did not end with [DONE], plus errors the server reported;',
      'answers stored whole: read back through GET /threads/:id/messages, complete with all the text;',
      'events/answer: data: events per stream, [DONE] excluded; answer: from a request to its last',
      `byte (${(TOKENS * INTERVAL_MS) / 1000} s when the server keeps pace); wall: first request to last byte;`,
      'client CPU: the load generator (this process), which shares the machine with the server.',
    ],
  };
}

function sum(runs, key) {
  return runs.reduce((total, run) => total + run[key], 0);
}
