#!/usr/bin/env node
// The benchmark runner: `pnpm bench` (builds the packages first) or `node bench/run.mjs [entry...]`.
// Every entry times our code against a raw baseline in the same run, interleaved, and reports the
// ratio: on shared, noisy machines only ratios measured together are worth comparing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printResult } from './print-result.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const entries = {
  client: () => import('./client-stream.mjs').then((module) => module.clientStream),
  server: () => import('./server-stream.mjs').then((module) => module.serverStream),
  paced: () => import('./server-paced.mjs').then((module) => module.serverPaced),
  react: () => import('./react-render.mjs').then((module) => module.reactRender),
  scroll: () => import('./react-scroll.mjs').then((module) => module.reactScroll),
  size: () => import('./bundle-size.mjs').then((module) => module.bundleSize),
  postgres: () => import('./postgres-pages.mjs').then((module) => module.postgresPages),
  fanout: () => import('./fanout.mjs').then((module) => module.fanoutEntry),
};

// A forced collection before every timed run keeps one run's garbage out of the next one's time.
// Without --expose-gc, start again with it (once: the child is marked by an environment variable),
// and without the warning that node:sqlite is experimental, which would cut into the tables.
if (typeof globalThis.gc !== 'function' && !process.env.CONFAB_BENCH_CHILD) {
  const flags = ['--expose-gc', '--disable-warning=ExperimentalWarning', ...process.execArgv];
  const child = spawnSync(
    process.execPath,
    [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, CONFAB_BENCH_CHILD: '1' } },
  );
  process.exit(child.status ?? 1);
}

const requested = process.argv.slice(2);
for (const name of requested) {
  if (!(name in entries)) {
    console.error(`Unknown entry "${name}". Entries: ${Object.keys(entries).join(', ')}.`);
    process.exit(2);
  }
}
const selected = requested.length > 0 ? requested : Object.keys(entries);

const environment = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  gcBetweenRuns: typeof globalThis.gc === 'function',
};

console.log(
  `Node ${environment.node} (V8 ${environment.v8}), ${environment.platform}, ` +
    `${environment.cpu} x ${environment.cores}, ${environment.memoryGiB} GiB` +
    (environment.gcBetweenRuns ? ', gc between runs' : ', no gc between runs (no --expose-gc)'),
);

const results = {};
const started = performance.now();
for (const name of selected) {
  const entry = await entries[name]();
  const result = await entry({ compare, log: (line) => console.log(`  ${line}`) });
  results[name] = result;
  printResult(result);
}
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);

const resultsDirectory = join(here, 'results');
mkdirSync(resultsDirectory, { recursive: true });
const output = join(resultsDirectory, 'latest.json');
writeFileSync(output, `${JSON.stringify({ environment, results }, null, 2)}\n`);
console.log(`Results written to ${output}`);

/**
 * Times each case `repetitions` times after `warmup` untimed rounds and returns the median and
 * spread of each. The cases are interleaved, in an order that rotates every repetition, so drift
 * in the machine's speed touches them all alike.
 *
 * A case is `{ name, setup?, run, check?, teardown? }`: `setup()` (untimed) returns the state
 * `run(state)` works on; only `run` is timed; `check(result, state)` (untimed) throws when the run
 * did not do the whole work, which also keeps every result in use.
 *
 * The first case is the baseline. Each summary's `ratio` is the median, over the repetitions, of
 * this case's time divided by the baseline's time in the same repetition (runs a moment apart, so
 * on the same machine load), and `differenceMs` the median of the same pairs' differences.
 */
async function compare(cases, { warmup = 2, repetitions = 9 } = {}) {
  for (let round = 0; round < warmup; round++) {
    for (const benchCase of cases) await timeOnce(benchCase);
  }
  const samples = cases.map(() => []);
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (let step = 0; step < cases.length; step++) {
      const index = (step + repetition) % cases.length;
      samples[index].push(await timeOnce(cases[index]));
    }
  }
  const baseline = samples[0];
  return cases.map((benchCase, index) => ({
    ...summarize(benchCase.name, samples[index]),
    ratio: median(samples[index].map((time, repetition) => time / baseline[repetition])),
    differenceMs: median(samples[index].map((time, repetition) => time - baseline[repetition])),
  }));
}

async function timeOnce(benchCase) {
  const state = benchCase.setup ? await benchCase.setup() : undefined;
  // Let the previous run's callbacks and timers settle, then start with a clean heap.
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc?.();
  const start = performance.now();
  const result = await benchCase.run(state);
  const elapsed = performance.now() - start;
  await benchCase.check?.(result, state);
  await benchCase.teardown?.(state);
  return elapsed;
}

function summarize(name, samples) {
  const medianMs = median(samples);
  return {
    name,
    medianMs,
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    /** Interquartile range relative to the median: how noisy this case was. */
    spread: (quantile(samples, 0.75) - quantile(samples, 0.25)) / medianMs,
    samplesMs: samples,
  };
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function median(values) {
  return quantile(values, 0.5);
}
