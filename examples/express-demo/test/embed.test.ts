// The script-tag example (examples/script-tag) in Chromium, against the demo server: the page
// loads @confab/react's built dist/embed.js with one <script>, and <confab-chat> is the widget.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';
import { startDemo } from './start-demo.ts';

const packages = join(import.meta.dirname, '../../../packages');
const screenshots = join(import.meta.dirname, 'screenshots');

const skipReason = !existsSync(chromiumPath)
  ? `no Chromium at ${chromiumPath} (install Debian's chromium package, or set CHROMIUM_PATH)`
  : !existsSync(join(packages, 'server-adapters/dist/index.js'))
    ? '@confab/server is not built (run `pnpm build`)'
    : !existsSync(join(packages, 'react/dist/embed.js'))
      ? '@confab/react/embed.js is not built (run `pnpm build`)'
      : null;
if (skipReason) console.warn(`Skipping the script-tag tests: ${skipReason}.`);

const directory = mkdtempSync(join(tmpdir(), 'confab-embed-browser-'));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  if (skipReason) return;
  mkdirSync(screenshots, { recursive: true });
  const started = await startDemo({
    CONFAB_DATABASE: join(directory, 'demo.db'),
    // No host app is needed for this page; `/` answers 503 and nothing here asks for it.
    CONFAB_WEB_DIST: join(directory, 'no-web'),
    CONFAB_DEMO_TOKEN_DELAY_MS: '2',
  });
  server = started.child;
  origin = started.origin;
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

const eventually = <T>(read: () => T | Promise<T>, timeout = 10_000) =>
  expect.poll(read, { timeout, interval: 50 });

/** The example page in a fresh profile; `close()` fails on any uncaught error of the page. */
async function openPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser!.newContext({
    baseURL: origin,
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    // The demo serves no favicon (its host app is not built here).
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(message.text());
    }
  });
  await page.goto('/embed/');
  return {
    page,
    close: async () => {
      await context.close();
      expect(errors).toEqual([]);
    },
  };
}

describe.skipIf(skipReason !== null)(
  skipReason ? `<confab-chat> in Chromium (skipped: ${skipReason})` : '<confab-chat> in Chromium',
  { timeout: 60_000 },
  () => {
    it('serves the page at /embed/ and its script beside it', async () => {
      const redirect = await fetch(`${origin}/embed`, { redirect: 'manual' });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe('/embed/');
      const script = await fetch(`${origin}/embed/embed.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      // The chunks it imports, at start and on demand, are served beside it.
      const chunks = [...(await script.text()).matchAll(/"\.\/(embed-chunks\/[\w-]+\.js)"/g)];
      expect(chunks.length).toBeGreaterThan(1);
      for (const [, chunk] of chunks.slice(0, 3)) {
        const response = await fetch(`${origin}/embed/${chunk}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/javascript/);
      }
      expect((await fetch(`${origin}/embed/embed-chunks/nothing.js`)).status).toBe(404);
      expect((await fetch(`${origin}/embed/embed-chunks/..%2Fembed.js`)).status).toBe(404);
    });

    it('opens from the launcher by keyboard, sends a message and shows the answer', async () => {
      const { page, close } = await openPage();
      const launcher = page.locator('.confab-chat-widget__launcher');
      expect(await launcher.getAttribute('aria-label')).toBe('Open chat');
      await launcher.focus();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: 'Lantern assistant' });
      await eventually(() => panel.isVisible()).toBe(true);
      const composer = panel.getByRole('textbox', { name: 'Message' });
      await eventually(() => composer.evaluate((element) => element.matches(':focus'))).toBe(true);
      expect(await composer.getAttribute('placeholder')).toBe('Ask about a book or an order…');

      await composer.fill('Do you ship to Lisbon?');
      await page.keyboard.press('Enter');
      const answer = panel.locator('[data-role="assistant"]').last();
      await eventually(() => answer.getAttribute('data-status'), 20_000).toBe('complete');
      expect((await answer.textContent())?.length).toBeGreaterThan(0);
      await expect(panel.locator('[data-role="user"]').last().textContent()).resolves.toContain(
        'Do you ship to Lisbon?',
      );

      // The page's 10 px root font, centred text and yellow buttons stay outside.
      const styles = await answer.evaluate((element) => {
        const text = getComputedStyle(element);
        const widget = element.getRootNode() as ShadowRoot;
        const toggle = widget.querySelector('.confab-chat-widget__header .confab-icon-button')!;
        return {
          textAlign: text.textAlign,
          fontSize: text.fontSize,
          buttonBackground: getComputedStyle(toggle).backgroundColor,
        };
      });
      expect(styles).toEqual({
        textAlign: 'start',
        fontSize: '15px',
        buttonBackground: expect.not.stringMatching(/^rgb\(242, 193, 78\)$/),
      });
      // The accent attribute colours the launcher.
      expect(await launcher.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
        'rgb(180, 83, 9)',
      );

      await page.screenshot({ path: join(screenshots, 'embed-answer.png') });
      await page.addScriptTag({ content: axe.source });
      const violations = await page.evaluate(async () => {
        const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
          resultTypes: ['violations'],
        });
        return results.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => violation.id);
      });
      expect(violations).toEqual([]);

      // Escape closes the panel and gives focus back to the launcher.
      await page.keyboard.press('Escape');
      await eventually(() => panel.isVisible()).toBe(false);
      await eventually(() => launcher.evaluate((element) => element.matches(':focus'))).toBe(true);
      await close();
    });

    it('follows attribute changes: theme, labels and title', async () => {
      const { page, close } = await openPage();
      await page.getByRole('button', { name: 'Open chat' }).click();
      const panel = page.getByRole('dialog', { name: 'Lantern assistant' });
      await eventually(() => panel.isVisible()).toBe(true);

      await page.getByRole('button', { name: 'Dark theme' }).click();
      const background = () =>
        panel.evaluate((element) => getComputedStyle(element).backgroundColor);
      await eventually(background).toBe('rgb(24, 24, 27)');

      await page.getByRole('button', { name: 'En français' }).click();
      const composer = panel.getByRole('textbox', { name: 'Message' });
      await eventually(() => composer.getAttribute('placeholder')).toBe('Envoyer un message…');
      await expect(
        panel.getByRole('button', { name: 'Fermer la discussion' }).count(),
      ).resolves.toBe(1);

      await page.evaluate(() => {
        const chat = document.querySelector('confab-chat')!;
        chat.setAttribute('chat-title', 'Librairie Lantern');
        chat.setAttribute('label-send', 'Go');
      });
      const renamed = page.getByRole('dialog', { name: 'Librairie Lantern' });
      await eventually(() => renamed.isVisible()).toBe(true);
      await eventually(() => renamed.getByRole('button', { name: 'Go', exact: true }).count()).toBe(
        1,
      );
      await page.screenshot({ path: join(screenshots, 'embed-dark-french.png') });
      await close();
    });

    it('sends the token of getToken, and unmounts when the element is removed', async () => {
      // The page sets getToken before the deferred script defines the element, as an inline
      // script after the element does.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const context = await browser!.newContext({ baseURL: origin });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.route('**/embed/embed.js', async (route) => {
        await held;
        await route.continue();
      });
      const authorization: string[] = [];
      page.on('request', (request) => {
        if (!request.url().includes('/api/chat/')) return;
        const header = request.headers().authorization;
        if (header) authorization.push(header);
      });
      const loaded = page.goto('/embed/');
      await page.waitForSelector('confab-chat', { state: 'attached' });
      const definedYet = await page.evaluate(() => {
        const chat = document.querySelector('confab-chat') as HTMLElement & {
          getToken?: () => Promise<string>;
        };
        chat.getToken = async () => 'token-123';
        return customElements.get('confab-chat') !== undefined;
      });
      expect(definedYet).toBe(false);
      release();
      await loaded;
      const close = async () => {
        await context.close();
        expect(errors).toEqual([]);
      };
      await page.getByRole('button', { name: 'Open chat' }).click();
      const panel = page.getByRole('dialog', { name: 'Lantern assistant' });
      await panel.getByRole('button', { name: 'Show chats' }).click();
      await eventually(() => authorization.length).toBeGreaterThan(0);
      expect(new Set(authorization)).toEqual(new Set(['Bearer token-123']));

      const remaining = await page.evaluate(async () => {
        const chat = document.querySelector('confab-chat')!;
        chat.remove();
        await new Promise((resolve) => setTimeout(resolve, 50));
        return chat.shadowRoot!.childNodes.length;
      });
      expect(remaining).toBe(0);
      await expect(page.getByRole('button', { name: 'Open chat' }).count()).resolves.toBe(0);

      // Inserted again, it mounts again.
      await page.evaluate(() => {
        const chat = document.createElement('confab-chat');
        chat.setAttribute('endpoint', '/api/chat');
        chat.setAttribute('default-open', '');
        document.body.append(chat);
      });
      await eventually(() => page.getByRole('dialog', { name: 'Chat' }).isVisible()).toBe(true);
      await close();
    });
  },
);
