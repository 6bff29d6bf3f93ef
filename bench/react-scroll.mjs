// Entry (d): scrolling a 10,000-message thread. The real MessageList and Message in Debian's
// Chromium, opened at the newest message, scrolled up a fixed distance one step per animation
// frame (at reading speed, then fast), then back down over the same rows. The baseline is the
// same list with each message's text shown as plain text, in the same run: what is left over is
// what markdown costs. CONFAB_SCROLL_COMPARE=<another build's packages/react/dist> adds that
// build's <Message> as a third case (say, the commit before a change), for before and after
// in one run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildPage, launchChromium, median, pageUrl, root, servePage } from './browser-page.mjs';

/** Pixels per frame and frames per pass: the same 9,000 px at both speeds. */
const SPEEDS = [
  { name: 'reading', step: 30, frames: 300 },
  { name: 'fast', step: 150, frames: 60 },
];
const ROUNDS = 3;
/** A frame at 60 Hz; a frame longer than this (with a margin for timer jitter) was dropped. */
const FRAME_MS = 1000 / 60;
const DROPPED_MS = FRAME_MS + 1;
/**
 * Uncovered pixels that make a gap. Rows sit at rounded sizes, which leaves a pixel or two
 * between some of them, and the space under the newest message is no row either.
 */
const GAP_PX = 16;

export async function reactScroll({ log }) {
  const pages = [{ name: 'current', reactDist: join(root, 'packages/react/dist') }];
  const cases = [
    { page: 'current', rows: 'plain', label: 'plain text rows (baseline)' },
    { page: 'current', rows: 'markdown', label: '<Message> (markdown)' },
  ];
  const compare = process.env.CONFAB_SCROLL_COMPARE;
  if (compare) {
    const reactDist = resolve(compare);
    if (!existsSync(join(reactDist, 'index.js'))) {
      throw new Error(`CONFAB_SCROLL_COMPARE: no index.js in ${reactDist}.`);
    }
    pages.push({ name: 'compare', reactDist });
    cases.push({ page: 'compare', rows: 'markdown', label: '<Message>, other build' });
  }
  const servers = {};
  for (const page of pages) {
    const outDir = join(root, 'bench', 'results', `react-scroll-page-${page.name}`);
    await buildPage('react-scroll', outDir, { reactDist: page.reactDist });
    servers[page.name] = await servePage(outDir);
  }
  const browser = await launchChromium();
  // samples[speed][case] holds every round's passes.
  const samples = SPEEDS.map(() => cases.map(() => []));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [speedIndex, speed] of SPEEDS.entries()) {
        for (let step = 0; step < cases.length; step++) {
          // The order of the cases rotates each round, so a slow moment does not hit one alone.
          const caseIndex = (step + round) % cases.length;
          const benchCase = cases[caseIndex];
          samples[speedIndex][caseIndex].push(
            await measure(browser, servers[benchCase.page], benchCase, speed),
          );
        }
      }
      log(`round ${round + 1} of ${ROUNDS} done`);
    }
  } finally {
    await browser.close();
    for (const server of Object.values(servers)) server.close();
  }

  const rows = [];
  for (const [speedIndex, speed] of SPEEDS.entries()) {
    const baseline = samples[speedIndex][0];
    for (const [caseIndex, benchCase] of cases.entries()) {
      const runs = samples[speedIndex][caseIndex];
      for (const direction of ['up', 'down']) {
        const passes = runs.map((run) => run[direction]);
        const intervals = passes.flatMap((pass) => pass.frameIntervals);
        const work = passes.flatMap((pass) => pass.frameWork);
        const cpu = passes.map((pass) => pass.cpuMs / pass.frameIntervals.length);
        const baselineCpu = baseline.map(
          (run) => run[direction].cpuMs / run[direction].frameIntervals.length,
        );
        const gaps = passes.flatMap((pass) => pass.uncovered).filter((pixels) => pixels > GAP_PX);
        rows.push({
          speed: `${speed.name} (${speed.step} px/frame)`,
          pass: direction === 'up' ? 'up (first time)' : 'down (again)',
          rows: benchCase.label,
          median: quantile(intervals, 0.5),
          p95: quantile(intervals, 0.95),
          max: Math.max(...intervals),
          dropped: percent(
            intervals.filter((interval) => interval > DROPPED_MS).length,
            intervals.length,
          ),
          workP95: quantile(work, 0.95),
          workMax: Math.max(...work),
          cpu: median(cpu),
          ratio: median(cpu.map((value, round) => value / baselineCpu[round])),
          gaps: percent(gaps.length, intervals.length),
          domRows: Math.max(...passes.flatMap((pass) => pass.rowCounts)),
          mounted: median(passes.map((pass) => pass.mounted)),
        });
      }
    }
  }
  for (const row of rows) {
    log(
      `${row.speed}, ${row.pass}, ${row.rows}: frames p95 ${row.p95.toFixed(1)} ms, ` +
        `${row.dropped} over ${FRAME_MS.toFixed(1)} ms, work p95 ${row.workP95.toFixed(1)} ms`,
    );
  }
  return {
    title: 'Scrolling a 10,000-message thread of markdown (paragraphs, lists, code blocks)',
    description: [
      `Debian Chromium, headless, 1000x800; ${ROUNDS} fresh pages per case and speed, frames pooled.`,
      'From the newest message up 9,000 px, one scrollTop step per animation frame, then back',
      'down over the same rows. frame = time between animation frames (60 Hz: 16.7 ms when none',
      `drops); over ${FRAME_MS.toFixed(1)} ms = share of frames that took longer. work = a frame's own`,
      'main-thread time, from its scroll event to the end of its rendering (idle-time work not in',
      'it). cpu/frame = main-thread CPU time per frame (CDP ThreadTime, idle-time work included);',
      "vs baseline = median over rounds of cpu/frame / the baseline page's in the same round.",
      'gaps = frames where part of the viewport showed no row.',
    ],
    parameters: {
      speeds: SPEEDS,
      rounds: ROUNDS,
      messages: 10_000,
      viewport: '1000x800',
      compare: compare ?? null,
    },
    columns: [
      { key: 'speed', label: 'speed', align: 'left' },
      { key: 'pass', label: 'pass', align: 'left' },
      { key: 'rows', label: 'rows', align: 'left' },
      { key: 'median', label: 'frame p50', digits: 1, suffix: ' ms' },
      { key: 'p95', label: 'p95', digits: 1, suffix: ' ms' },
      { key: 'max', label: 'max', digits: 1, suffix: ' ms' },
      { key: 'dropped', label: `> ${FRAME_MS.toFixed(1)} ms` },
      { key: 'workP95', label: 'work p95', digits: 1, suffix: ' ms' },
      { key: 'workMax', label: 'work max', digits: 1, suffix: ' ms' },
      { key: 'cpu', label: 'cpu/frame', digits: 2, suffix: ' ms' },
      { key: 'ratio', label: 'vs baseline', digits: 2, suffix: '×' },
      { key: 'gaps', label: 'gaps' },
      { key: 'domRows', label: 'rows in DOM' },
      { key: 'mounted', label: 'mounted' },
    ],
    rows,
  };
}

function percent(part, whole) {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/** One fresh page: open the thread, then the pass up and the pass down, each with its CPU time. */
async function measure(browser, server, benchCase, speed) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    page.on('pageerror', (error) => console.error(`  page error: ${error.message}`));
    await page.goto(pageUrl(server, `?rows=${benchCase.rows}`));
    await page.evaluate(() => window.confabScroll.ready);
    const devtools = await page.context().newCDPSession(page);
    await devtools.send('Performance.enable');
    // The renderer's main-thread CPU time: unlike wall time, it does not grow when the machine
    // is busy with something else.
    const cpuSeconds = async () => {
      const { metrics } = await devtools.send('Performance.getMetrics');
      return metrics.find((metric) => metric.name === 'ThreadTime').value;
    };
    const result = {};
    for (const [direction, sign] of [
      ['up', -1],
      ['down', 1],
    ]) {
      const before = await cpuSeconds();
      const pass = await page.evaluate(
        ([step, frames]) => window.confabScroll.scroll(step, frames),
        [sign * speed.step, speed.frames],
      );
      // The pass ends with a few settling frames; their time counts too (it is the scroll's).
      result[direction] = { ...pass, cpuMs: ((await cpuSeconds()) - before) * 1000 };
    }
    return result;
  } finally {
    await page.close();
  }
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
