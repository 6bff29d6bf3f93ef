'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CHAT_ENDPOINT, type ChatScenario } from '../../../../.storybook/chat-backend';
import { labels as french } from '../locales/fr';
import { labels as japanese } from '../locales/ja';
import { ChatWidget } from './chat-widget';

/**
 * The widget's shadow root, as an element for `within()`: the launcher and the panel live there,
 * out of reach of the page's selectors (and of queries that do not enter shadow roots).
 */
async function widgetIn(canvasElement: HTMLElement): Promise<HTMLElement> {
  const root = await waitFor(() => {
    const shadow = canvasElement.querySelector('.confab-chat-widget')?.shadowRoot;
    if (!shadow) throw new Error('The widget has not rendered its shadow root yet.');
    return shadow;
  });
  return root as unknown as HTMLElement;
}

/**
 * Finds the open panel named `name` once it has finished fading in: axe (run after each story)
 * would otherwise measure the contrast of half-transparent text.
 */
async function findPanel(canvasElement: HTMLElement, name: string): Promise<HTMLElement> {
  const dialog = await within(await widgetIn(canvasElement)).findByRole('dialog', { name });
  await animationsSettled(dialog);
  return dialog;
}

/** Waits for the fades and slides running in the widget (the chats list sliding in) to end. */
async function animationsSettled(element: HTMLElement) {
  const root = element.getRootNode() as ShadowRoot;
  await Promise.all(root.getAnimations().map((animation) => animation.finished));
}

/** Focus inside a shadow root shows as the host in `document.activeElement`: ask the root. */
function expectFocused(element: HTMLElement) {
  expect((element.getRootNode() as ShadowRoot).activeElement).toBe(element);
}

/**
 * Types into a field of the shadow root. user-event's `type` loses the text there (it tracks a
 * field from the document's `focus` events, whose target is the shadow host), so this sets the
 * value as typing does and lets React hear the input event.
 */
async function typeInShadow(field: HTMLElement, text: string) {
  await userEvent.click(field);
  const textarea = field as HTMLTextAreaElement;
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(
    textarea,
    textarea.value + text,
  );
  textarea.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
}

const someThreads: ChatScenario = {
  threads: [
    {
      title: 'Shipping to Canada',
      messages: [
        { role: 'user', text: 'Do you ship to Canada?' },
        {
          role: 'assistant',
          text: 'Yes. Orders to Canada ship within **2 business days** and arrive in about a week.',
        },
      ],
    },
    {
      title: 'Reset my password',
      messages: [
        { role: 'user', text: 'How do I reset my password?' },
        {
          role: 'assistant',
          text: 'Open **Settings → Security**, choose *Reset password* and follow the email we send you.',
        },
      ],
    },
  ],
};

/** A stand-in host page, so the launcher and the panel float over something. */
function HostPage() {
  return (
    <main
      style={{ padding: 32, fontFamily: 'system-ui, sans-serif', maxWidth: 640, lineHeight: 1.6 }}
    >
      <h1 style={{ marginTop: 0 }}>Acme Store</h1>
      <p>
        Browse the catalogue, follow an order, or ask the assistant in the corner. The chat keeps
        your conversations, so you can come back to them later.
      </p>
    </main>
  );
}

const meta = {
  title: 'Components/ChatWidget',
  component: ChatWidget,
  render: (args) => (
    <>
      <HostPage />
      <ChatWidget {...args} />
    </>
  ),
  args: { title: 'Acme assistant' },
  parameters: { layout: 'fullscreen', chat: someThreads },
} satisfies Meta<typeof ChatWidget>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Closed: only the launcher. Keyboard: Enter opens into the composer, Escape closes. */
export const Closed: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(await widgetIn(canvasElement));
    const launcher = canvas.getByRole('button', { name: 'Open chat' });
    expect(launcher).toHaveAttribute('aria-expanded', 'false');

    launcher.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    expect(launcher).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expectFocused(within(dialog).getByRole('textbox', { name: 'Message' })));

    await userEvent.keyboard('{Escape}');
    expect(canvas.queryByRole('dialog')).toBeNull();
    expectFocused(launcher);

    // Space opens it too.
    await userEvent.keyboard(' ');
    await canvas.findByRole('dialog', { name: 'Acme assistant' });
  },
};

/** Open, with the chats list: choose an earlier chat and continue it. */
export const Open: Story = {
  args: { defaultOpen: true },
  play: async ({ canvasElement }) => {
    const canvas = within(await widgetIn(canvasElement));
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Show chats' }));
    const list = await within(dialog).findByRole('navigation', { name: 'Chats' });
    await userEvent.click(await within(list).findByRole('button', { name: /^Shipping to Canada/ }));
    await expect(
      await within(dialog).findByText(/Orders to Canada ship/, {}, { timeout: 5_000 }),
    ).toBeVisible();
    expectFocused(within(dialog).getByRole('textbox', { name: 'Message' }));

    await userEvent.click(within(dialog).getByRole('button', { name: 'Close chat' }));
    expect(canvas.queryByRole('dialog')).toBeNull();
    expectFocused(canvas.getByRole('button', { name: 'Open chat' }));
  },
};

export const Dark: Story = {
  args: { defaultOpen: true, theme: 'dark', position: 'bottom-left' },
  play: async ({ canvasElement }) => {
    const dialog = await findPanel(canvasElement, 'Acme assistant');
    expect(dialog.closest('[data-confab-theme]')).toHaveAttribute('data-confab-theme', 'dark');
  },
};

/** In Japanese, from the locale pack: every label, and the chats' times through `Intl`. */
export const Japanese: Story = {
  args: { defaultOpen: true, title: undefined, labels: japanese },
  play: async ({ canvasElement }) => {
    const dialog = await findPanel(canvasElement, 'チャット');
    expect(within(dialog).getByRole('textbox', { name: 'メッセージ' })).toHaveAttribute(
      'placeholder',
      'メッセージを送信…',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'チャット一覧を表示' }));
    const list = await within(dialog).findByRole('navigation', { name: 'チャット' });
    const thread = await within(list).findByRole('button', { name: /^Shipping to Canada/ });
    // The list fades in.
    await waitFor(() => expect(thread).toBeVisible());
    expect(within(list).getAllByText('今').length).toBeGreaterThan(0);
    await animationsSettled(list);
  },
};

/** In French: the launcher, the composer and the empty chat. */
export const French: Story = {
  args: { defaultOpen: true, title: undefined, labels: french },
  play: async ({ canvasElement }) => {
    const dialog = await findPanel(canvasElement, 'Discussion');
    await waitFor(() =>
      expect(within(dialog).getByRole('button', { name: 'Fermer la discussion' })).toBeVisible(),
    );
    expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveAttribute(
      'placeholder',
      'Envoyer un message…',
    );
  },
};

const hebrewThreads: ChatScenario = {
  threads: [
    {
      title: 'משלוח לחו״ל',
      messages: [
        { role: 'user', text: 'האם אתם שולחים לקנדה?' },
        {
          role: 'assistant',
          text: 'כן. הזמנות לקנדה נשלחות תוך **שני ימי עסקים**:\n\n- מעקב אחר המשלוח\n- ביטוח מלא\n\n> אפשר לשנות את הכתובת עד המשלוח.',
        },
      ],
    },
  ],
};

/**
 * A right-to-left page (Hebrew): the widget follows the page's direction. The user's bubble sits
 * at the line's end (the left), lists and quotes indent from the right, the chats list slides in
 * from the right.
 */
export const RightToLeft: Story = {
  args: { defaultOpen: true, title: 'עוזר החנות' },
  parameters: { chat: hebrewThreads },
  render: (args) => (
    <div dir="rtl" lang="he">
      <HostPage />
      <ChatWidget {...args} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(await widgetIn(canvasElement));
    const dialog = await canvas.findByRole('dialog', { name: 'עוזר החנות' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Show chats' }));
    const list = await within(dialog).findByRole('navigation', { name: 'Chats' });
    await userEvent.click(await within(list).findByRole('button', { name: /^משלוח/ }));
    const answer = await within(dialog).findByText(/הזמנות לקנדה/, {}, { timeout: 5_000 });
    const question = within(dialog).getByText('האם אתם שולחים לקנדה?');
    expect(getComputedStyle(dialog).direction).toBe('rtl');
    // The question's bubble ends the line on the left; the answer starts it on the right.
    const bubble = question.closest('.confab-message__bubble')!.getBoundingClientRect();
    const panel = dialog.getBoundingClientRect();
    expect(bubble.left - panel.left).toBeLessThan(panel.right - bubble.right);
    const list_ = within(dialog).getByRole('list');
    expect(getComputedStyle(list_).paddingRight).not.toBe('0px');
    expect(getComputedStyle(list_).paddingLeft).toBe('0px');
    expect(answer).toBeVisible();
  },
};

/** A 360-px-wide phone: the panel fills the screen and the launcher steps aside. */
export const Mobile: Story = {
  args: { defaultOpen: true },
  parameters: {
    viewport: {
      options: {
        phone360: {
          name: 'Phone, 360 px',
          styles: { width: '360px', height: '740px' },
          type: 'mobile',
        },
      },
    },
  },
  globals: { viewport: { value: 'phone360', isRotated: false } },
  play: async ({ canvasElement }) => {
    const dialog = await findPanel(canvasElement, 'Acme assistant');
    // Only meaningful where the story really is phone-sized (the viewport toolbar, screenshots).
    if (window.innerWidth <= 480) {
      const box = dialog.getBoundingClientRect();
      expect(box.width).toBe(window.innerWidth);
      expect(box.height).toBe(window.innerHeight);
    }
  },
};

/** Without a ChatProvider: the widget makes its own from `endpoint`. */
export const Standalone: Story = {
  args: { endpoint: CHAT_ENDPOINT, defaultOpen: true },
  parameters: { chat: { ...someThreads, provider: false } satisfies ChatScenario },
  play: async ({ canvasElement }) => {
    const canvas = within(await widgetIn(canvasElement));
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    const input = within(dialog).getByRole('textbox', { name: 'Message' });
    await typeInShadow(input, 'Hello');
    await userEvent.keyboard('{Enter}');
    await waitFor(
      () =>
        expect(
          dialog.querySelector('[data-role="assistant"][data-status="complete"]'),
        ).not.toBeNull(),
      { timeout: 10_000 },
    );
  },
};

/** Host rules aimed at everything, as a page's own stylesheet might write them. */
const hostileStyles = `
  .hostile-host { text-align: center; line-height: 3; font: italic 700 22px/3 Georgia, serif;
    color: #d00; letter-spacing: 0.2em; text-transform: uppercase; }
  .hostile-host * { box-sizing: content-box; margin: 20px; }
  .hostile-host button { background: #ff0; border: 4px solid #000; border-radius: 0;
    padding: 12px 24px; font-size: 22px; }
  .hostile-host h2 { font-size: 40px; text-decoration: underline; }
  .hostile-host textarea { background: #0ff; font-size: 30px; }
`;

/**
 * Inside a page whose rules centre, enlarge and recolour everything: the widget is the same as
 * anywhere else. Its parts are in a shadow root, and the inherited properties are reset there.
 */
export const HostileHostPage: Story = {
  args: { defaultOpen: true },
  render: (args) => (
    <div className="hostile-host">
      <style>{hostileStyles}</style>
      <HostPage />
      <ChatWidget {...args} />
    </div>
  ),
  play: async ({ canvasElement }) => {
    const widget = within(await widgetIn(canvasElement));
    const dialog = await widget.findByRole('dialog', { name: 'Acme assistant' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Show chats' }));
    const list = await within(dialog).findByRole('navigation', { name: 'Chats' });
    await userEvent.click(await within(list).findByRole('button', { name: /^Shipping to Canada/ }));
    const answer = await within(dialog).findByText(/Orders to Canada ship/, {}, { timeout: 5_000 });
    const text = getComputedStyle(answer);
    expect(text.textAlign).toBe('start');
    expect(text.fontStyle).toBe('normal');
    expect(text.textTransform).toBe('none');
    expect(text.letterSpacing).toBe('normal');
    expect(text.fontSize).toBe('15px');
    const title = within(dialog).getByRole('heading', { name: 'Acme assistant' });
    expect(getComputedStyle(title).textDecorationLine).toBe('none');
    const close = within(dialog).getByRole('button', { name: 'Close chat' });
    expect(getComputedStyle(close).backgroundColor).not.toBe('rgb(255, 255, 0)');
    expect(getComputedStyle(close).width).toBe('32px');
    // The widget's own rules stay inside: the page's buttons keep the page's look.
    const pageButton = document.createElement('button');
    canvasElement.querySelector('.hostile-host')!.append(pageButton);
    expect(getComputedStyle(pageButton).backgroundColor).toBe('rgb(255, 255, 0)');
    pageButton.remove();
  },
};
