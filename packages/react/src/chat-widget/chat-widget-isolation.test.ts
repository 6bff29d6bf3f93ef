// The widget in hostile host pages, in Chromium: its open panel must look the same, pixel for
// pixel (within a small tolerance), as on a page with no styles of its own. The page's script is
// built from the sources with esbuild; the chat runs on the real handler, in the page
// (inProcessBackend).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../../scripts/chromium.mjs';
import { documentStylesheet } from '../../scripts/styles.mjs';

const repository = join(import.meta.dirname, '../../../..');
const screenshots = join(repository, '.test-results/widget-isolation');

/** Host pages, each as a stylesheet and where the page mounts the widget. */
const hosts: Record<string, string> = {
  plain: '',
  // A stock Vite + React template: the bug this test was written for.
  'vite-template': `
    #root { max-width: 1280px; margin: 0 auto; padding: 2rem; text-align: center; }
    :root { font-family: Inter, system-ui, Avenir, Helvetica, Arial, sans-serif; line-height: 1.5;
      font-weight: 400; color: #213547; background-color: #ffffff; }
    button { border-radius: 8px; border: 1px solid transparent; padding: 0.6em 1.2em;
      font-size: 1em; font-weight: 500; font-family: inherit; background-color: #f9f9f9; }
    h1, h2 { font-size: 3.2em; line-height: 1.1; }`,
  // A thorough reset, as sites ship them.
  reset: `
    *, *::before, *::after { box-sizing: content-box; margin: 0; padding: 0; border: 0;
      font: inherit; vertical-align: baseline; }
    ol, ul { list-style: none; }
    button { all: unset; }
    textarea { resize: none; background: none; }
    a { color: inherit; text-decoration: none; }`,
  // Bootstrap-like element styles.
  bootstrap: `
    *, *::before, *::after { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      font-size: 1rem; line-height: 1.5; color: #212529; }
    h1, h2, h3 { margin-top: 0; margin-bottom: .5rem; font-weight: 500; line-height: 1.2; }
    h2 { font-size: calc(1.325rem + .9vw); }
    p, ol, ul { margin-top: 0; margin-bottom: 1rem; }
    ol, ul { padding-left: 2rem; }
    code { font-size: .875em; color: #d63384; }
    pre { display: block; margin-top: 0; margin-bottom: 1rem; overflow: auto; font-size: .875em; }
    button { display: inline-block; padding: .375rem .75rem; font-size: 1rem; line-height: 1.5;
      color: #fff; background-color: #0d6efd; border: 1px solid #0d6efd; border-radius: .375rem; }
    textarea { display: block; width: 100%; padding: .375rem .75rem; font-size: 1rem;
      border: 1px solid #dee2e6; border-radius: .375rem; }
    a { color: #0d6efd; text-decoration: underline; }`,
  // Every inherited property a page might set on its body.
  inherited: `
    html { font-size: 10px; }
    body { font: italic 700 22px/3 Georgia, serif; color: #c00; text-align: center;
      letter-spacing: .1em; word-spacing: 6px; text-transform: uppercase; text-indent: 3em;
      white-space: pre-wrap; cursor: wait; text-shadow: 1px 1px 2px #000; font-variant: small-caps;
      -webkit-font-smoothing: none; hyphens: auto; quotes: "<" ">"; }`,
  dark: `
    :root { color-scheme: dark; background: #0d1117; color: #e6edf3; }
    body { font: 18px/2 Georgia, serif; }
    button { background: #21262d; color: #c9d1d9; border: 1px solid #30363d; }`,
};

// A short answer with what a chat shows: a paragraph, a list, inline code, a link, a code block.
const answer = [
  'Orders to **Lisbon** ship in *two days*:',
  '',
  '1. Pick a `standard` or `express` rate.',
  '2. Track it from [your orders](https://example.com/orders).',
  '',
  '```js',
  "track('LX-2041');",
  '```',
].join('\n');

let browser: Browser | undefined;
let script = '';

function hostPage(css: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<style>${documentStylesheet()}</style><style>${css}</style></head>
<body><div id="root"><h1>A host page</h1><p>Its own text, under the widget.</p>
<div id="widget"></div></div><script type="module">${script}</script></body></html>`;
}

beforeAll(async () => {
  // What a host app bundles: the widget from the package's sources, React in production mode,
  // and one conversation, answered by the real handler in the page before the widget opens it.
  const bundle = await build({
    stdin: {
      contents: `
        import { createElement } from 'react';
        import { createRoot } from 'react-dom/client';
        import { ChatWidget } from '@confab/react';
        import { demoModel, inProcessBackend } from '@confab/server';
        const backend = inProcessBackend({
          model: demoModel({ tokenDelayMs: 0, reply: () => ${JSON.stringify(answer)} }),
        });
        const thread = await backend.createThread({ title: 'Shipping' });
        await backend.sendMessageAndWait(thread.id, { text: 'Do you ship to Lisbon?' });
        localStorage.setItem('isolation', thread.id);
        createRoot(document.getElementById('widget')).render(
          createElement(ChatWidget, { backend, defaultOpen: true, title: 'Support',
            storageKey: 'isolation' }),
        );`,
      resolveDir: import.meta.dirname,
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: {
      '@confab/react': join(repository, 'packages/react/src/index.ts'),
      '@confab/core': join(repository, 'packages/core/src/index.ts'),
      '@confab/core/ai-sdk': join(repository, 'packages/core/src/ai-sdk/index.ts'),
      '@confab/server': join(repository, 'packages/server-adapters/src/index.ts'),
    },
    logLevel: 'error',
  });
  script = bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script');
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  mkdirSync(screenshots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** A PNG of the open panel on the page `host`, once its answer has rendered. */
async function panelScreenshot(host: string): Promise<Buffer> {
  const context = await browser!.newContext({
    viewport: { width: 1000, height: 800 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // Served at a secure origin of its own (localhost), so the page has localStorage and crypto.
  await page.route('http://localhost/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: hostPage(hosts[host]!) }),
  );
  await page.goto('http://localhost/');
  const panel = page.locator('.confab-chat-widget__panel');
  await panel
    .locator('[data-role="assistant"][data-status="complete"]')
    .waitFor({ timeout: 10_000 })
    .catch((error: Error) => {
      throw new Error(`${error.message}\nPage errors: ${errors.join('\n') || 'none'}`);
    });
  await panel.getByText("track('LX-2041');").waitFor();
  // Fonts and the code block's highlighting settle.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const png = await panel.screenshot({ animations: 'disabled', caret: 'hide' });
  writeFileSync(join(screenshots, `${host}.png`), png);
  await context.close();
  expect(errors).toEqual([]);
  return png;
}

/**
 * The share of pixels that differ by more than a little in any channel. The panel's rounded
 * corners show the page behind them, so the corner squares are left out.
 */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const page = await browser!.newPage();
  const share = await page.evaluate(
    async ([first, second]) => {
      const pixels = async (base64: string) => {
        const image = await createImageBitmap(
          await (await fetch(`data:image/png;base64,${base64}`)).blob(),
        );
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height);
      };
      const [x, y] = [await pixels(first!), await pixels(second!)];
      if (x.width !== y.width || x.height !== y.height) return 1;
      const corner = 24;
      let compared = 0;
      let differing = 0;
      for (let row = 0; row < x.height; row++) {
        for (let column = 0; column < x.width; column++) {
          const nearEdgeX = column < corner || column >= x.width - corner;
          const nearEdgeY = row < corner || row >= x.height - corner;
          if (nearEdgeX && nearEdgeY) continue;
          compared++;
          const at = (row * x.width + column) * 4;
          for (let channel = 0; channel < 3; channel++) {
            if (Math.abs(x.data[at + channel]! - y.data[at + channel]!) > 24) {
              differing++;
              break;
            }
          }
        }
      }
      return differing / compared;
    },
    [a.toString('base64'), b.toString('base64')],
  );
  await page.close();
  return share;
}

describe('ChatWidget in hostile host pages (Chromium)', { timeout: 60_000 }, () => {
  let plain: Buffer;
  beforeAll(async () => {
    plain = await panelScreenshot('plain');
  }, 30_000);

  it.each(Object.keys(hosts).filter((host) => host !== 'plain'))(
    'looks the same in the %s page as in a plain one',
    async (host) => {
      const share = await difference(plain, await panelScreenshot(host));
      // Under 0.1% of the pixels differ by more than a little (main's widget: 0.5% to 10%).
      expect(share, `${(share * 100).toFixed(2)}% of the panel's pixels differ`).toBeLessThan(
        0.001,
      );
    },
  );
});
