'use client';

import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { type ChatScenario, chatBackend } from '../../../../.storybook/chat-backend';
import { catchDownloads } from '../../../../.storybook/downloads';
import { ThreadList, type ThreadListProps } from './thread-list';

/** The list in a sidebar-sized box, keeping the selection as a host app would. */
function Sidebar(props: ThreadListProps) {
  const [selected, setSelected] = useState(props.selectedThreadId ?? null);
  return (
    <div style={{ width: 288, height: 560 }}>
      <ThreadList
        {...props}
        selectedThreadId={selected}
        onSelect={(threadId) => {
          setSelected(threadId);
          props.onSelect(threadId);
        }}
      />
    </div>
  );
}

const someThreads: ChatScenario = {
  threads: [
    { title: 'Quarterly report outline', messages: 4 },
    { title: 'Regex for UK postcodes', messages: 2 },
    { title: null, messages: 2 },
    { title: 'Trip to Lisbon: a three-day plan with food stops', messages: 6 },
    { title: 'Explain React server components', messages: 2 },
  ],
};

const meta = {
  title: 'Components/ThreadList',
  component: ThreadList,
  render: (args) => <Sidebar {...args} />,
  args: { onSelect: fn(), selectedThreadId: 'thread-4' },
  parameters: { chat: someThreads },
} satisfies Meta<typeof ThreadList>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Five chats, the trip plan open; select, rename and delete with the mouse or the keyboard. */
export const Default: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const nav = await canvas.findByRole('navigation', { name: 'Chats' });
    await waitFor(() =>
      expect(nav.querySelectorAll('[data-confab-thread-trigger]')).toHaveLength(5),
    );

    // Selecting a chat moves aria-current to it.
    await userEvent.click(within(nav).getByRole('button', { name: /^Regex for UK postcodes/ }));
    expect(args.onSelect).toHaveBeenLastCalledWith('thread-2');
    expect(within(nav).getByRole('button', { name: /^Regex for UK postcodes/ })).toHaveAttribute(
      'aria-current',
      'page',
    );
  },
};

/** Rename from the keyboard: Tab to the row's Rename, type, Enter. */
export const RenameWithKeyboard: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const row = await canvas.findByRole('button', { name: /^Regex for UK postcodes/ });
    row.focus();
    await userEvent.tab();
    const actions = canvas.getByRole('group', { name: 'Actions for Regex for UK postcodes' });
    expect(within(actions).getByRole('button', { name: 'Rename' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');

    const input = canvas.getByRole('textbox', { name: 'Chat title' });
    expect(input).toHaveFocus();
    await userEvent.keyboard('{Control>}a{/Control}Postcode regex{Enter}');
    await expect(await canvas.findByRole('button', { name: /^Postcode regex/ })).toHaveFocus();
    await waitFor(async () => {
      const thread = await chatBackend.store.getThread(chatBackend.scope, 'thread-2');
      expect(thread?.title).toBe('Postcode regex');
    });
  },
};

/** Delete asks first; the confirmation takes focus and Cancel gives it back. */
export const DeleteWithConfirmation: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    // The row's actions are rendered anew each time the row comes back from the confirmation.
    const deleteButton = () =>
      within(
        canvas.getByRole('group', {
          name: 'Actions for Trip to Lisbon: a three-day plan with food stops',
        }),
      ).getByRole('button', { name: 'Delete' });
    await canvas.findByRole('button', { name: /^Trip to Lisbon/ });
    await userEvent.click(deleteButton());
    const dialog = canvas.getByRole('alertdialog');
    expect(dialog).toHaveTextContent('Delete “Trip to Lisbon');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await userEvent.keyboard('{Escape}');
    expect(canvas.queryByRole('alertdialog')).toBeNull();
    expect(deleteButton()).toHaveFocus();

    await userEvent.click(deleteButton());
    await userEvent.click(
      within(canvas.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(canvas.queryByRole('button', { name: /^Trip to Lisbon/ })).toBeNull(),
    );
    // It was the open chat: the host is asked to show a new one.
    expect(args.onSelect).toHaveBeenLastCalledWith(null);
  },
};

/** The server refuses the delete: the row comes back with a note. */
export const DeleteRefused: Story = {
  parameters: {
    chat: { ...someThreads, failing: 'server_error', failingOn: ['delete-thread'] },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const actions = await canvas.findByRole('group', {
      name: 'Actions for Regex for UK postcodes',
    });
    await userEvent.click(within(actions).getByRole('button', { name: 'Delete' }));
    await userEvent.click(
      within(canvas.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }),
    );
    // The HTTP backend retries an idempotent DELETE a few times before giving up.
    await expect(await canvas.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(
      'Couldn’t delete the chat',
    );
    expect(canvas.getByRole('button', { name: /^Regex for UK postcodes/ })).toBeVisible();
  },
};

/** More chats than a page: "Load more" fetches the next page. */
export const LoadMore: Story = {
  args: { selectedThreadId: null },
  parameters: {
    chat: {
      threads: Array.from({ length: 28 }, (_, index) => ({ title: `Project note ${index + 1}` })),
    } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Load more' }));
    await canvas.findByRole('button', { name: /^Project note 1\b/ });
    expect(canvas.queryByRole('button', { name: 'Load more' })).toBeNull();
  },
};

export const Empty: Story = {
  args: { selectedThreadId: null },
  parameters: { chat: { threads: [] } satisfies ChatScenario },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No chats yet')).toBeVisible();
  },
};

/** A slow server: the skeleton shows while the first page loads. */
export const Loading: Story = {
  parameters: { chat: { ...someThreads, latencyMs: 60_000 } },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('Loading chats…');
  },
};

export const Dark: Story = {
  args: { theme: 'dark' },
  globals: { backgrounds: { value: 'dark' } },
};

/**
 * A row's menu from the keyboard: ArrowDown opens it on its first item, the arrows move, Escape
 * closes it back onto its button; Fork chat copies the chat and opens the copy.
 */
export const ForkFromMenu: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    const actions = await canvas.findByRole('group', {
      name: 'Actions for Regex for UK postcodes',
    });
    const more = within(actions).getByRole('button', { name: 'More actions' });
    more.focus();
    await userEvent.keyboard('{ArrowDown}');
    const menu = canvas.getByRole('menu', { name: 'More actions' });
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((item) => item.textContent)).toEqual([
      'Fork chat',
      'Export as Markdown',
      'Export as JSON',
    ]);
    expect(items[0]).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}');
    expect(items[1]).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(canvas.queryByRole('menu')).toBeNull();
    expect(more).toHaveFocus();
    expect(more).toHaveAttribute('aria-expanded', 'false');

    await userEvent.keyboard('{Enter}');
    expect(
      within(canvas.getByRole('menu')).getByRole('menuitem', { name: 'Fork chat' }),
    ).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(args.onSelect).toHaveBeenCalled());
    const forkedId = (args.onSelect as ReturnType<typeof fn>).mock.lastCall?.[0] as string;
    expect(forkedId).not.toBe('thread-2');
    const copy = await chatBackend.store.listMessages(chatBackend.scope, forkedId, { limit: 50 });
    expect(copy?.items).toHaveLength(2);
    // The copy is on top of the list, and open.
    const nav = canvas.getByRole('navigation', { name: 'Chats' });
    await waitFor(() =>
      expect(nav.querySelectorAll('[data-confab-thread-trigger]')).toHaveLength(6),
    );
    expect(nav.querySelector('[aria-current="page"]')).toHaveTextContent('Regex for UK postcodes');
  },
};

/** Export from a row's menu: Markdown or JSON, downloaded under the server's file name. */
export const ExportFromMenu: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const { downloads, stop } = catchDownloads();
    try {
      const actions = await canvas.findByRole('group', {
        name: 'Actions for Quarterly report outline',
      });
      await userEvent.click(within(actions).getByRole('button', { name: 'More actions' }));
      await userEvent.click(canvas.getByRole('menuitem', { name: 'Export as JSON' }));
      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(downloads[0]!.name).toMatch(/\.json$/);
      expect(downloads[0]!.href).toMatch(/^blob:/);
      await userEvent.click(within(actions).getByRole('button', { name: 'More actions' }));
      await userEvent.click(canvas.getByRole('menuitem', { name: 'Export as Markdown' }));
      await waitFor(() => expect(downloads).toHaveLength(2));
      expect(downloads[1]!.name).toMatch(/\.md$/);
      expect(
        chatBackend.requests.filter((request) => request.path.includes('/export')),
      ).toHaveLength(2);
    } finally {
      stop();
    }
  },
};

/** A row's menu open, for a look at it (and axe's). */
export const MenuOpen: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const actions = await canvas.findByRole('group', {
      name: 'Actions for Regex for UK postcodes',
    });
    await userEvent.click(within(actions).getByRole('button', { name: 'More actions' }));
    // The row's actions fade in (120 ms) once focus is in them.
    await waitFor(() => expect(canvas.getByRole('menu', { name: 'More actions' })).toBeVisible());
    expect(
      within(canvas.getByRole('menu')).getByRole('menuitem', { name: 'Fork chat' }),
    ).toHaveFocus();
  },
};
