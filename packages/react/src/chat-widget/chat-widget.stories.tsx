'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CHAT_ENDPOINT, type ChatScenario } from '../../../../.storybook/chat-backend';
import { labels as french } from '../locales/fr';
import { labels as japanese } from '../locales/ja';
import { ChatWidget } from './chat-widget';

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
    const canvas = within(canvasElement);
    const launcher = canvas.getByRole('button', { name: 'Open chat' });
    expect(launcher).toHaveAttribute('aria-expanded', 'false');

    launcher.focus();
    await userEvent.keyboard('{Enter}');
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    expect(launcher).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveFocus(),
    );

    await userEvent.keyboard('{Escape}');
    expect(canvas.queryByRole('dialog')).toBeNull();
    expect(launcher).toHaveFocus();

    // Space opens it too.
    await userEvent.keyboard(' ');
    await canvas.findByRole('dialog', { name: 'Acme assistant' });
  },
};

/** Open, with the chats list: choose an earlier chat and continue it. */
export const Open: Story = {
  args: { defaultOpen: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Show chats' }));
    const list = await within(dialog).findByRole('navigation', { name: 'Chats' });
    await userEvent.click(await within(list).findByRole('button', { name: /^Shipping to Canada/ }));
    await expect(
      await within(dialog).findByText(/Orders to Canada ship/, {}, { timeout: 5_000 }),
    ).toBeVisible();
    expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveFocus();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Close chat' }));
    expect(canvas.queryByRole('dialog')).toBeNull();
    expect(canvas.getByRole('button', { name: 'Open chat' })).toHaveFocus();
  },
};

export const Dark: Story = {
  args: { defaultOpen: true, theme: 'dark', position: 'bottom-left' },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement).findByRole('dialog', { name: 'Acme assistant' });
    expect(dialog.closest('[data-confab-theme]')).toHaveAttribute('data-confab-theme', 'dark');
  },
};

/** In Japanese, from the locale pack: every label, and the chats' times through `Intl`. */
export const Japanese: Story = {
  args: { defaultOpen: true, title: undefined, labels: japanese },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement).findByRole('dialog', { name: 'チャット' });
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
  },
};

/** In French: the launcher, the composer and the empty chat. */
export const French: Story = {
  args: { defaultOpen: true, title: undefined, labels: french },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement).findByRole('dialog', { name: 'Discussion' });
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
    const canvas = within(canvasElement);
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
    const dialog = await within(canvasElement).findByRole('dialog', { name: 'Acme assistant' });
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
    const canvas = within(canvasElement);
    const dialog = await canvas.findByRole('dialog', { name: 'Acme assistant' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Message' }), 'Hello{Enter}');
    await waitFor(
      () =>
        expect(
          dialog.querySelector('[data-role="assistant"][data-status="complete"]'),
        ).not.toBeNull(),
      { timeout: 10_000 },
    );
  },
};
