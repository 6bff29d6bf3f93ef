// Entry (c): what streaming costs React. A 1,000-message thread in the real components
// (MessageList, Message, Composer) in Debian's Chromium, then an answer of 2,000 tokens, at a
// steady 500 tokens/s and as fast as the page can take them. React's Profiler (the profiling
// build of react-dom) counts commits and render time; the aim is one commit per frame at most,
// whatever the token rate, and no message but the streaming one re-rendering. The page runs
// under React 19 and, built against tests/react-18's copies, under React 18.
import { join } from 'node:path';
import { buildPage, launchChromium, pageUrl, root, servePage } from './browser-page.mjs';

const RATES = [500, null];
const REACT_VERSIONS = [19, 18];
const ROUNDS = 3;

export async function reactRender({ log }) {
  const servers = new Map();
  for (const reactVersion of REACT_VERSIONS) {
    const outDir = join(root, 'bench', 'results', `react-render-page-${reactVersion}`);
    await buildPage('react-render', outDir, { profiling: true, reactVersion });
    servers.set(reactVersion, await servePage(outDir));
  }
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const [reactVersion, server] of servers) {
      for (const rate of RATES) {
        const runs = [];
        for (let round = 0; round < ROUNDS; round++) {
          // A fresh page per round: the same 1,000-message thread each time.
          const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
          await page.goto(pageUrl(server));
          await page.evaluate(() => window.confabBench.ready);
          const version = await page.evaluate(() => window.confabBench.reactVersion);
          if (!version.startsWith(`${reactVersion}.`)) {
            throw new Error(`The React ${reactVersion} page runs React ${version}.`);
          }
          runs.push(
            await page.evaluate(
              (tokensPerSecond) => window.confabBench.stream(tokensPerSecond),
              rate,
            ),
          );
          await page.close();
        }
        const median = (key) =>
          runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
        const row = {
          react: reactVersion,
          rate: rate === null ? 'as fast as possible' : `${rate} tokens/s`,
          tokens: runs[0].tokens,
          streamMs: median('streamMs'),
          frames: median('frames'),
          commits: median('commits'),
          commitsPerFrame: median('commits') / Math.max(1, median('frames')),
          renderMs: median('renderMs'),
          perCommitMs: median('renderMs') / Math.max(1, median('commits')),
          maxCommitMs: median('maxCommitMs'),
          others: Math.max(...runs.map((run) => run.otherMessagesRendered)),
          answerRenders: median('answerRenders'),
          answerPerFrameMax: Math.max(...runs.map((run) => run.answerRendersPerFrameMax)),
        };
        if (runs.some((run) => run.finalLength === 0)) {
          throw new Error('An answer came back empty.');
        }
        log(
          `React ${reactVersion}, ${row.rate}: ${row.commits} commits in ${row.frames} frames, ${row.renderMs.toFixed(1)} ms rendering`,
        );
        rows.push(row);
      }
    }
  } finally {
    await browser.close();
    for (const server of servers.values()) server.close();
  }
  return {
    title: 'React rendering while an answer streams: 2,000 tokens into a 1,000-message thread',
    description: [
      `Debian Chromium, headless, the profiling build of react-dom; median of ${ROUNDS} fresh pages.`,
      "React 19 is the workspace's; React 18 (with its react-virtual and react-query)",
      'comes from tests/react-18.',
      'commits and render time are React Profiler totals from the send to the last frame;',
      'while the deltas arrive, "answer renders in a frame" is the most renders of the answer',
      'between two animation frames (the aim is 1), and "other messages re-rendered" counts the',
      'messages other than the answer that rendered (the aim is 0).',
    ],
    columns: [
      { key: 'react', label: 'React' },
      { key: 'rate', label: 'token rate', align: 'left' },
      { key: 'streamMs', label: 'stream', digits: 0, suffix: ' ms' },
      { key: 'frames', label: 'frames' },
      { key: 'commits', label: 'commits' },
      { key: 'commitsPerFrame', label: 'commits/frame', digits: 2 },
      { key: 'renderMs', label: 'render total', digits: 1, suffix: ' ms' },
      { key: 'perCommitMs', label: 'per commit', digits: 2, suffix: ' ms' },
      { key: 'maxCommitMs', label: 'slowest commit', digits: 1, suffix: ' ms' },
      { key: 'answerRenders', label: 'answer renders' },
      { key: 'answerPerFrameMax', label: 'answer renders in a frame (max)' },
      { key: 'others', label: 'other messages re-rendered' },
    ],
    rows,
  };
}
