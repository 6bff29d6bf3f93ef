// The demo page in a real browser, as a user gets it: @confab/react's built dist bundled by Vite
// into the host app, the Express server serving it beside the API, Debian's Chromium driving it.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import axe from 'axe-core';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.mjs';
import { startDemo } from './start-demo.ts';

const root = join(import.meta.dirname, '..');
const packages = join(root, '../../packages');
const screenshots = join(import.meta.dirname, 'screenshots');

const skipReason = !existsSync(chromiumPath)
  ? `no Chromium at ${chromiumPath} (install Debian's chromium package, or set CHROMIUM_PATH)`
  : !existsSync(join(packages, 'server-adapters/dist/index.js'))
    ? '@confab/server is not built (run `pnpm build`)'
    : !existsSync(join(packages, 'react/dist/index.js'))
      ? '@confab/react is not built (run `pnpm build`)'
      : null;
if (skipReason) console.warn(`Skipping the demo's browser tests: ${skipReason}.`);

const directory = mkdtempSync(join(tmpdir(), 'confab-demo-browser-'));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let origin = '';

/** Builds the host app with Vite, as `pnpm demo` does, into a temporary directory. */
async function buildWebApp(outDir: string) {
  const require = createRequire(import.meta.url);
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', 'web', '--outDir', outDir, '--logLevel', 'warn'],
    { cwd: root },
  );
}

async function startServer(webDist: string): Promise<string> {
  const started = await startDemo({
    CONFAB_DATABASE: join(directory, 'demo.db'),
    CONFAB_WEB_DIST: webDist,
    // Slow enough to watch an answer grow and stop it, fast enough for a short test.
    CONFAB_DEMO_TOKEN_DELAY_MS: '12',
  });
  server = started.child;
  return started.origin;
}

beforeAll(async () => {
  if (skipReason) return;
  mkdirSync(screenshots, { recursive: true });
  const webDist = join(directory, 'web');
  await buildWebApp(webDist);
  origin = await startServer(webDist);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Retries `read` until the assertion holds: the page streams, refetches and animates. */
const eventually = <T>(read: () => T | Promise<T>, timeout = 10_000) =>
  expect.poll(read, { timeout, interval: 50 });

let userCount = 0;
/** A fresh user per test, so tests never see each other's threads. */
function uniqueName(base: string): string {
  userCount += 1;
  return `${base}-${process.pid}-${userCount}`;
}

/** A new browser profile (its own cookies) and page; `close()` fails on any uncaught page error. */
async function newPage(options: BrowserContextOptions = {}): Promise<{
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}> {
  const context = await browser!.newContext({
    baseURL: origin,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  const close = async () => {
    await context.close();
    expect(errors).toEqual([]);
  };
  return { context, page, close };
}

async function signIn(page: Page, name: string, path = '/') {
  await page.goto(path);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await eventually(() => page.getByText(`Signed in as ${name}`).isVisible()).toBe(true);
}

/** Waits for the page's transitions and finite animations (a drawer sliding in) to end. */
async function animationsSettled(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished),
    ),
  );
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** The chat page's parts, found the way a user (or a screen reader) names them. */
function chatPage(page: Page) {
  const view = page.locator('.chat-page__main');
  return {
    threads: page.getByRole('navigation', { name: 'Chats', exact: true }).first(),
    composer: view.getByRole('textbox', { name: 'Message' }),
    send: view.getByRole('button', { name: 'Send', exact: true }),
    stop: view.getByRole('button', { name: 'Stop', exact: true }),
    messages: view.locator('[data-role]'),
    assistant: view.locator('[data-role="assistant"]'),
    user: view.locator('[data-role="user"]'),
  };
}

async function sendInChat(page: Page, text: string) {
  const chat = chatPage(page);
  await chat.composer.fill(text);
  await chat.send.click();
}

async function waitForAnswer(answer: Locator, status = 'complete') {
  await eventually(() => answer.getAttribute('data-status'), 20_000).toBe(status);
}

/** The current thread id from the URL (`/chat/<id>`). */
function threadIdOf(page: Page): string | null {
  const match = /\/chat\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** axe-core's serious and critical violations on the page (or inside `include`). */
async function accessibilityViolations(page: Page, include?: string) {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async (selector) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(selector ? { include: [selector] } : document, {
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
      firstFailure: violation.nodes[0]?.failureSummary,
    }));
  }, include);
  return violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, options: { backwards?: boolean } = {}) {
  for (let presses = 0; presses < 60; presses++) {
    const focused = await target
      .evaluate((element) => {
        // Focus inside a shadow root (the widget's) shows as its host in document.activeElement.
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return element === active;
      })
      .catch(() => false);
    if (focused) {
      return;
    }
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tabbing never reached ${target}`);
}

const activeElementLabel = (page: Page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
  });

// ---------------------------------------------------------------------------------------------

describe.skipIf(skipReason !== null)(
  skipReason ? `the demo in Chromium (skipped: ${skipReason})` : 'the demo in Chromium',
  { timeout: 60_000 },
  () => {
    it('signs in by name, shows who is signed in, and signs out', async () => {
      const { page, close } = await newPage();
      await page.goto('/');
      await eventually(() => page.title()).toBe('Sign in · Harbor');
      await screenshot(page, 'sign-in');

      // The server turns away a name devAuth() would refuse, and says why.
      await page.getByLabel('Your name').fill('two words');
      await page.getByRole('button', { name: 'Continue' }).click();
      await eventually(() => page.getByRole('alert').textContent()).toContain('without spaces');

      const name = uniqueName('ada');
      await page.getByLabel('Your name').fill(name);
      await page.getByRole('button', { name: 'Continue' }).click();
      await eventually(() => page.getByText(`Signed in as ${name}`).isVisible()).toBe(true);
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Close your month in an afternoon.',
      );
      await screenshot(page, 'overview');

      // The cookie keeps the session across a reload.
      await page.reload();
      await eventually(() => page.getByText(`Signed in as ${name}`).isVisible()).toBe(true);

      await page.getByRole('link', { name: 'Assistant', exact: true }).click();
      await eventually(() => new URL(page.url()).pathname).toBe('/chat');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await eventually(() => page.getByLabel('Your name').isVisible()).toBe(true);
      expect(new URL(page.url()).pathname).toBe('/');
      // Signed out, the API no longer knows this user: the session says so.
      expect(await (await page.request.get('/api/session')).json()).toEqual({ user: null });
      await close();
    });

    it('sends, streams the answer, stops it, and finds it all again after a reload', async () => {
      const { page, close } = await newPage();
      await signIn(page, uniqueName('grace'), '/chat');
      const chat = chatPage(page);
      await sendInChat(page, 'Write me a long essay about closing the books');

      // The question shows at once; the answer streams in, growing over time.
      await eventually(() => chat.user.first().textContent()).toContain(
        'Write me a long essay about closing the books',
      );
      const answer = chat.assistant.last();
      await eventually(() => answer.getAttribute('data-status')).toBe('streaming');
      // The streaming text is marked busy, so assistive technology waits for it to settle.
      await eventually(() => answer.locator('[aria-busy="true"]').count()).toBe(1);
      const early = (await answer.textContent())!.length;
      await page.waitForTimeout(400);
      const later = (await answer.textContent())!.length;
      expect(later).toBeGreaterThan(early);
      await eventually(() => chat.stop.isVisible()).toBe(true);
      await eventually(() => threadIdOf(page)).not.toBeNull();
      const threadId = threadIdOf(page)!;
      await screenshot(page, 'chat-streaming');

      // Stop: the answer is marked stopped and keeps what it had.
      await chat.stop.click();
      await waitForAnswer(answer, 'cancelled');
      await eventually(() => answer.getByText('Stopped').isVisible()).toBe(true);
      const partial = (await answer.textContent())!;
      expect(partial).toContain("Confab's demo model");
      await page.waitForTimeout(300);
      expect((await answer.textContent())!).toBe(partial);
      await eventually(() => chat.send.isVisible()).toBe(true);
      await eventually(() => answer.locator('[aria-busy="true"]').count()).toBe(0);
      await screenshot(page, 'chat-stopped');

      // The thread is in the URL and on the server: a reload brings back both messages.
      await page.reload();
      expect(threadIdOf(page)).toBe(threadId);
      await eventually(() => chat.messages.count()).toBe(2);
      await eventually(() => chat.user.first().textContent()).toContain(
        'Write me a long essay about closing the books',
      );
      await eventually(() => chat.assistant.first().getAttribute('data-status')).toBe('cancelled');
      await eventually(() => chat.assistant.first().textContent()).toContain("Confab's demo model");

      // Regenerate: a new, whole answer takes the stopped one's place, and stays after a reload.
      await chat.assistant.first().getByRole('button', { name: 'Regenerate answer' }).click();
      await eventually(() => chat.assistant.first().getAttribute('data-status')).toBe('streaming');
      await waitForAnswer(chat.assistant.first());
      expect(await chat.assistant.count()).toBe(1);
      expect(await chat.assistant.first().getByText('Stopped').count()).toBe(0);
      await animationsSettled(page);
      await screenshot(page, 'chat-regenerated');
      await page.reload();
      await eventually(() => chat.assistant.first().getAttribute('data-status')).toBe('complete');
      expect(await chat.messages.count()).toBe(2);
      await close();
    });

    it('shows a thread open in two tabs live in both: a stop in one, a reload mid-answer in the other', async () => {
      const { context, page: first, close } = await newPage();
      await signIn(first, uniqueName('lin'), '/chat');
      await sendInChat(first, 'Hello');
      await waitForAnswer(chatPage(first).assistant.last());
      const threadId = threadIdOf(first)!;
      const second = await context.newPage();
      await second.goto(`/chat/${encodeURIComponent(threadId)}`);
      const one = chatPage(first);
      const two = chatPage(second);
      await eventually(() => two.messages.count()).toBe(2);

      // Sent in the first tab: the question and the growing answer appear in the second.
      await sendInChat(first, 'Write me a long essay about invoices');
      await eventually(() => two.user.last().textContent()).toContain('essay about invoices');
      await eventually(() => two.assistant.last().getAttribute('data-status')).toBe('streaming');
      const early = (await two.assistant.last().textContent())!.length;
      await second.waitForTimeout(400);
      expect((await two.assistant.last().textContent())!.length).toBeGreaterThan(early);
      await screenshot(second, 'two-tabs-streaming');

      // Stopped in the second tab, where it does not run: both show it stopped, with one text.
      await two.stop.click();
      await waitForAnswer(one.assistant.last(), 'cancelled');
      await waitForAnswer(two.assistant.last(), 'cancelled');
      // The answer's text (the tab that ran it also announces it, in a hidden live region).
      const text = (answer: Locator) =>
        answer
          .locator('[data-part="text"]')
          .allTextContents()
          .then((parts) => parts.join(''));
      expect((await text(two.assistant.last())).length).toBeGreaterThan(0);
      expect(await text(two.assistant.last())).toBe(await text(one.assistant.last()));

      // A reload mid-answer picks the answer up where it is and follows it to the end.
      await one.assistant.last().getByRole('button', { name: 'Regenerate answer' }).click();
      await eventually(() => one.assistant.last().getAttribute('data-status')).toBe('streaming');
      await second.reload();
      await eventually(() => two.assistant.last().getAttribute('data-status')).toBe('streaming');
      await waitForAnswer(one.assistant.last());
      await waitForAnswer(two.assistant.last());
      expect(await text(two.assistant.last())).toBe(await text(one.assistant.last()));
      await screenshot(second, 'two-tabs-after-reload');
      await second.close();
      await close();
    });

    it('edits, regenerates an earlier answer, switches versions, reloads, forks, exports and deletes', async () => {
      const { page, close } = await newPage({ acceptDownloads: true });
      await signIn(page, uniqueName('ada'), '/chat');
      const chat = chatPage(page);
      const texts = () => chat.messages.allTextContents();
      await sendInChat(page, 'First question');
      await waitForAnswer(chat.assistant.first());
      await sendInChat(page, 'Second question');
      await eventually(() => chat.assistant.count()).toBe(2);
      await waitForAnswer(chat.assistant.nth(1));
      const firstAnswer = await chat.assistant.first().textContent();

      // Regenerate the first answer: the branch below it goes, the old answer is version 1 of 2.
      const first = chat.assistant.first();
      await first.hover();
      await first.getByRole('button', { name: 'Regenerate answer' }).click();
      await eventually(() => chat.messages.count()).toBe(2);
      await waitForAnswer(chat.assistant.first());
      const picker = (message: Locator) =>
        message.getByRole('group', { name: /^Version \d of \d$/ });
      await eventually(() => picker(chat.assistant.first()).getAttribute('aria-label')).toBe(
        'Version 2 of 2',
      );
      await screenshot(page, 'branches-regenerated');

      // Back to the first version: its continuation comes back with it.
      await chat.assistant.first().getByRole('button', { name: 'Previous version' }).click();
      await eventually(() => chat.messages.count()).toBe(4);
      // (Its text, beside which the picker now shows 1/2.)
      expect(await chat.assistant.first().textContent()).toContain(firstAnswer!.slice(0, 60));
      expect((await texts()).join(' ')).toContain('Second question');

      // A reload shows the same branch, and the same versions.
      await page.reload();
      await eventually(() => chat.messages.count()).toBe(4);
      await eventually(() => picker(chat.assistant.first()).getAttribute('aria-label')).toBe(
        'Version 1 of 2',
      );

      // Edit the second question from the keyboard: Enter saves, a new answer follows.
      const second = chat.user.nth(1);
      await second.hover();
      await second.getByRole('button', { name: 'Edit message' }).click();
      const editor = page.getByRole('textbox', { name: 'Edit your message' });
      await editor.fill('Second question, edited');
      await screenshot(page, 'branches-editing');
      await editor.press('Enter');
      await eventually(() => chat.user.nth(1).textContent()).toContain('Second question, edited');
      await waitForAnswer(chat.assistant.nth(1));
      await eventually(() => picker(chat.user.nth(1)).getAttribute('aria-label')).toBe(
        'Version 2 of 2',
      );
      await screenshot(page, 'branches-edited');

      // Export the thread as Markdown from the header's menu: the branch shown, as a file.
      const threadId = threadIdOf(page);
      await page
        .locator('.chat-page__main')
        .getByRole('button', { name: 'More actions' })
        .first()
        .click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: 'Export as Markdown' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.md$/);
      const markdown = await (await import('node:fs/promises')).readFile(
        await download.path(),
        'utf8',
      );
      expect(markdown).toContain('Second question, edited');
      expect(markdown).not.toContain('Second question\n');

      // Fork from the first answer: a new thread holding the branch up to it, opened.
      const answer = chat.assistant.first();
      await answer.hover();
      await answer.getByRole('button', { name: 'Fork from here' }).click();
      await eventually(() => threadIdOf(page)).not.toBe(threadId);
      await eventually(() => chat.messages.count()).toBe(2);
      expect((await texts()).join(' ')).toContain('First question');

      // Back in the original thread, delete the edited question (after confirming).
      await page.goto(`/chat/${encodeURIComponent(threadId!)}`);
      await eventually(() => chat.messages.count()).toBe(4);
      const edited = chat.user.nth(1);
      await edited.hover();
      await edited.getByRole('button', { name: 'Delete message' }).click();
      await edited.getByRole('button', { name: 'Delete', exact: true }).click();
      // Its branch goes; the server's branch continues with the question's other version.
      await eventually(async () => (await texts()).join(' ')).not.toContain(
        'Second question, edited',
      );
      await page.reload();
      await eventually(() => chat.messages.count()).toBe(4);
      expect((await texts()).join(' ')).not.toContain('Second question, edited');
      await screenshot(page, 'branches-after-delete');
      await close();
    });

    it('switches between two threads, renames one and deletes the other', async () => {
      const { page, close } = await newPage();
      await signIn(page, uniqueName('linus'), '/chat');
      const chat = chatPage(page);

      await sendInChat(page, 'What is a trial balance?');
      await waitForAnswer(chat.assistant.last());
      await eventually(() => threadIdOf(page)).not.toBeNull();
      const first = threadIdOf(page)!;

      await chat.threads.getByRole('button', { name: 'New chat' }).click();
      await eventually(() => threadIdOf(page)).toBeNull();
      await eventually(() => chat.messages.count()).toBe(0);
      await sendInChat(page, 'How do I send a late payment reminder?');
      await waitForAnswer(chat.assistant.last());
      await eventually(() => threadIdOf(page)).not.toBeNull();
      const second = threadIdOf(page)!;
      expect(second).not.toBe(first);

      const row = (threadId: string) => chat.threads.locator(`[data-thread-id="${threadId}"]`);
      await eventually(() => chat.threads.locator('[data-thread-id]').count()).toBe(2);

      // Switch: the URL and the messages follow the selected thread.
      await row(first).locator('[data-confab-thread-trigger]').click();
      await eventually(() => threadIdOf(page)).toBe(first);
      await eventually(() => chat.user.first().textContent()).toContain('trial balance');
      await eventually(() =>
        row(first).locator('[data-confab-thread-trigger]').getAttribute('aria-current'),
      ).toBe('page');
      await row(second).locator('[data-confab-thread-trigger]').click();
      await eventually(() => threadIdOf(page)).toBe(second);
      await eventually(() => chat.user.first().textContent()).toContain('late payment');

      // Rename the first thread inline; the new title survives a reload.
      await row(first).getByRole('button', { name: 'Rename' }).click();
      const title = row(first).getByRole('textbox', { name: 'Chat title' });
      await title.fill('Trial balance basics');
      await title.press('Enter');
      await eventually(() => row(first).textContent()).toContain('Trial balance basics');
      await page.reload();
      await eventually(() => row(first).textContent()).toContain('Trial balance basics');
      await screenshot(page, 'chat-two-threads');

      // Delete the open (second) thread after confirming: it leaves the list and the page.
      await row(second).getByRole('button', { name: 'Delete' }).click();
      await row(second).getByRole('button', { name: 'Delete' }).click();
      await eventually(() => row(second).count()).toBe(0);
      await eventually(() => threadIdOf(page)).toBeNull();
      await page.reload();
      await eventually(() => chat.threads.locator('[data-thread-id]').count()).toBe(1);
      await close();
    });

    it('keeps two users apart: neither sees nor opens the other’s thread', async () => {
      const alice = await newPage();
      await signIn(alice.page, uniqueName('alice'), '/chat');
      await sendInChat(alice.page, 'My private question');
      await waitForAnswer(chatPage(alice.page).assistant.last());
      await eventually(() => threadIdOf(alice.page)).not.toBeNull();
      const aliceThread = threadIdOf(alice.page)!;

      const bob = await newPage();
      await signIn(bob.page, uniqueName('bob'), '/chat');
      const bobChat = chatPage(bob.page);
      await eventually(() => bobChat.threads.getByText('No chats yet').isVisible()).toBe(true);
      expect(await bobChat.threads.locator(`[data-thread-id="${aliceThread}"]`).count()).toBe(0);

      await bob.page.goto(`/chat/${aliceThread}`);
      await eventually(() => bob.page.getByText('This chat doesn’t exist').isVisible()).toBe(true);
      expect(await bob.page.getByText('My private question').count()).toBe(0);
      await screenshot(bob.page, 'other-users-thread');

      // Alice still has hers.
      await alice.page.reload();
      await eventually(() => chatPage(alice.page).user.first().textContent()).toContain(
        'My private question',
      );
      await alice.close();
      await bob.close();
    });

    it('runs the whole flow from the keyboard alone', async () => {
      const { page, close } = await newPage();
      const name = uniqueName('keyboard');
      await page.goto('/');

      // Sign in.
      const nameField = page.getByLabel('Your name');
      await tabTo(page, nameField);
      await page.keyboard.type(name);
      await page.keyboard.press('Enter');
      await eventually(() => page.getByText(`Signed in as ${name}`).isVisible()).toBe(true);

      // To the Assistant, then a new chat.
      await tabTo(page, page.getByRole('link', { name: 'Assistant', exact: true }));
      await page.keyboard.press('Enter');
      await eventually(() => new URL(page.url()).pathname).toBe('/chat');
      const chat = chatPage(page);
      await tabTo(page, chat.threads.getByRole('button', { name: 'New chat' }));
      await page.keyboard.press('Enter');

      // Send with Enter, from the composer.
      await tabTo(page, chat.composer);
      await page.keyboard.type('Hello from the keyboard');
      await page.keyboard.press('Enter');
      await waitForAnswer(chat.assistant.last());
      await eventually(() => threadIdOf(page)).not.toBeNull();

      // Open the widget, land inside it, close it with Escape: focus returns to the launcher.
      const launcher = page.getByRole('button', { name: 'Ask Harbor Assist' });
      await tabTo(page, launcher);
      await page.keyboard.press('Enter');
      const panel = page.getByRole('dialog', { name: 'Harbor Assist' });
      await eventually(() => panel.isVisible()).toBe(true);
      await eventually(() =>
        panel.evaluate((element) =>
          element.contains((element.getRootNode() as Document | ShadowRoot).activeElement),
        ),
      ).toBe(true);
      await page.keyboard.press('Escape');
      await eventually(() => panel.isVisible()).toBe(false);
      await eventually(() => activeElementLabel(page)).toBe('Ask Harbor Assist');
      await close();
    });

    it('opens the widget on a 360×740 phone screen and chats in it', async () => {
      const { page, close } = await newPage({
        viewport: { width: 360, height: 740 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      });
      await signIn(page, uniqueName('phone'));
      await screenshot(page, 'phone-overview');
      await page.getByRole('button', { name: 'Ask Harbor Assist' }).click();
      const panel = page.getByRole('dialog', { name: 'Harbor Assist' });
      await eventually(() => panel.isVisible()).toBe(true);
      // Once its opening animation settles, the panel fits the screen.
      await eventually(() => panel.boundingBox()).toSatisfy(
        (box: { x: number; y: number; width: number; height: number } | null) =>
          box !== null &&
          box.x >= 0 &&
          box.y >= 0 &&
          box.x + box.width <= 360 &&
          box.y + box.height <= 740,
      );

      const composer = panel.getByRole('textbox', { name: 'Message' });
      await composer.fill('Hi from my phone');
      await panel.getByRole('button', { name: 'Send' }).click();
      const answer = panel.locator('[data-role="assistant"]').last();
      await waitForAnswer(answer);
      expect(await answer.textContent()).toContain("Confab's demo model");
      await animationsSettled(page);
      await screenshot(page, 'phone-widget');

      await panel.getByRole('button', { name: 'Close chat' }).first().click();
      await eventually(() => panel.isVisible()).toBe(false);

      // The Assistant on a phone: the chats are a drawer over the conversation.
      await page.getByRole('link', { name: 'Assistant', exact: true }).click();
      const threads = chatPage(page).threads;
      const showThreads = page.locator('.chat-page__main').getByRole('button', {
        name: 'Show chats',
      });
      await eventually(() => showThreads.isVisible()).toBe(true);
      expect(await threads.isVisible()).toBe(false);
      await showThreads.click();
      await eventually(() => threads.isVisible()).toBe(true);
      await animationsSettled(page);
      await screenshot(page, 'phone-chat-threads');
      // The widget's chat is the same user's: it is in the list, and opening it closes the drawer.
      await threads.getByRole('button', { name: /Hi from my phone/ }).click();
      await eventually(() => threadIdOf(page)).not.toBeNull();
      await eventually(() => threads.isVisible()).toBe(false);
      await eventually(() => chatPage(page).user.first().textContent()).toContain(
        'Hi from my phone',
      );
      await screenshot(page, 'phone-chat');
      await close();
    });

    it('has no serious or critical axe violations: sign-in, chat with messages, open widget', async () => {
      const { page, close } = await newPage();
      await page.goto('/');
      await eventually(() => page.getByLabel('Your name').isVisible()).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);

      await signIn(page, uniqueName('axe'), '/chat');
      await sendInChat(page, 'Write a short code example');
      await waitForAnswer(chatPage(page).assistant.last());
      await screenshot(page, 'chat-complete');
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Ask Harbor Assist' }).click();
      const panel = page.getByRole('dialog', { name: 'Harbor Assist' });
      await eventually(() => panel.isVisible()).toBe(true);
      // Axe measures colours as painted: let the panel finish fading in.
      await animationsSettled(page);
      await screenshot(page, 'widget-open');
      expect(await accessibilityViolations(page)).toEqual([]);
      await close();
    });
  },
);
