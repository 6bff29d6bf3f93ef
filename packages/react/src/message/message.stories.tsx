'use client';

import type { Decorator, Meta, StoryObj } from '@storybook/react-vite';
import { type ReactNode, useEffect, useRef } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  type ChatScenario,
  chatBackend,
  type SeedThread,
} from '../../../../.storybook/chat-backend';
import { useChatSession } from '../hooks/use-chat';
import { useChatTheme } from '../provider/chat-provider';
import { ThreadScope, useMessageIds } from '../provider/thread-scope';
import { Message, type MessageProps } from './message';

/** How a story opens its thread: which one, and a message to send when it mounts. */
interface ThreadParameters {
  threadId?: string;
  send?: string;
}

/**
 * A message needs a thread around it: this frame opens the story's seeded thread with
 * `useChatSession`, gives it to a `ThreadScope`, and puts the themed `.confab-root` a page
 * would have around the components.
 */
function ThreadFrame({ threadId, send, children }: ThreadParameters & { children: ReactNode }) {
  const session = useChatSession({ threadId: threadId ?? 'thread-1' });
  const theme = useChatTheme();
  const sent = useRef(false);
  useEffect(() => {
    if (!send || sent.current) return;
    sent.current = true;
    void session.send(send);
  }, [send, session]);
  return (
    <div
      className="confab-root"
      data-confab-theme={theme === 'system' ? undefined : theme}
      style={{ maxWidth: 720, padding: 16, background: 'var(--confab-background)' }}
    >
      <ThreadScope session={session}>{children}</ThreadScope>
    </div>
  );
}

const withThread: Decorator = (Story, context) => (
  <ThreadFrame {...(context.parameters.thread as ThreadParameters | undefined)}>
    <Story />
  </ThreadFrame>
);

/** Every message of the thread, for stories about an exchange rather than one message. */
function Conversation(props: Omit<MessageProps, 'messageId'>) {
  const ids = useMessageIds();
  return (
    <>
      {ids.map((id) => (
        <Message key={id} messageId={id} {...props} />
      ))}
    </>
  );
}

const markdownAnswer = [
  '## Debouncing a search box',
  '',
  'Debouncing waits until the user **stops typing** before searching, so a query runs once per pause instead of once per key. See the [MDN guide](https://developer.mozilla.org/) for timers.',
  '',
  '1. Keep the latest input in state.',
  '2. Start a timer on every change, cancelling the previous one.',
  '3. Search when the timer fires.',
  '',
  '```ts',
  'export function debounce<Args extends unknown[]>(run: (...args: Args) => void, ms = 300) {',
  '  let timer: ReturnType<typeof setTimeout> | undefined;',
  '  return (...args: Args) => {',
  '    clearTimeout(timer); // only the last call survives',
  '    timer = setTimeout(() => run(...args), ms);',
  '  };',
  '}',
  '```',
  '',
  '| Delay | Feels | Requests per word |',
  '| ----- | ----- | ----------------: |',
  '| 100 ms | instant | 3 |',
  '| 300 ms | responsive | 1 |',
  '| 1 s | sluggish | 1 |',
  '',
  '> Tip: use `AbortController` to cancel a search that is already in flight.',
].join('\n');

const moreLanguagesAnswer = [
  'Ported to Rust, with what is ~~left~~ done so far:',
  '',
  '- [x] parse the input',
  '- [ ] cancel a stale search',
  '',
  '```rust',
  'fn debounce(delay: Duration) -> impl FnMut(&str) {',
  '    let mut last = Instant::now(); // reset on every key',
  '    move |query| if last.elapsed() > delay { search(query); last = Instant::now(); }',
  '}',
  '```',
  '',
  'Docs at www.rust-lang.org &mdash; or ask <b>me</b>.',
].join('\n');

const longCode = [
  'Here is the whole module:',
  '',
  '```python',
  ...Array.from({ length: 60 }, (_, index) =>
    index % 10 === 0
      ? `# Section ${index / 10 + 1}: a comment line long enough to need horizontal scrolling in a narrow message column, which it does.`
      : `def step_${index}(value: int) -> int:  return value * ${index} + len("${'x'.repeat(index % 7)}")`,
  ),
  '```',
].join('\n');

/** A server holding one thread, `thread-1`. */
const exchange = (thread: SeedThread): ChatScenario => ({ threads: [thread] });

const meta = {
  title: 'Components/Message',
  component: Message,
  decorators: [withThread],
  args: { messageId: 'thread-1-m2' },
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'How do I debounce a search box?' },
        { role: 'assistant', text: markdownAnswer },
      ],
    }),
  },
} satisfies Meta<typeof Message>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The user's message: plain text in a bubble, line breaks kept, markdown left as typed. */
export const User: Story = {
  args: { messageId: 'thread-1-m1' },
  parameters: {
    chat: exchange({
      messages: [
        {
          role: 'user',
          text: 'Two questions:\n1. Is **this** bold? (It should not be.)\n2. Does <b>HTML</b> render?',
        },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'You' });
    expect(message).toHaveTextContent('Is **this** bold?');
    expect(message.querySelector('strong, b')).toBeNull();
  },
};

/** An answer in markdown: heading, list, highlighted code with copy, a table, a quote. */
export const AssistantMarkdown: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    const article = within(message);
    expect(article.getByRole('heading', { name: 'Debouncing a search box' })).toBeVisible();
    expect(article.getByRole('table')).toBeVisible();
    // The highlighter arrives with the first code block.
    await waitFor(() => expect(message.querySelector('.hljs-keyword')).not.toBeNull(), {
      timeout: 10_000,
    });
    expect(article.getByRole('link', { name: 'MDN guide' })).toHaveAttribute('target', '_blank');
    expect(article.getByRole('button', { name: 'Copy code' })).toBeVisible();
    expect(article.getByRole('button', { name: 'Copy message' })).toBeVisible();
  },
};

/** The same answer in the dark theme. */
export const AssistantMarkdownDark: Story = {
  globals: { confabTheme: 'dark' },
};

/** An answer arriving: a blinking caret, `aria-busy`, no actions until it ends. */
export const Streaming: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    thread: { send: 'How do I debounce a search box?' } satisfies ThreadParameters,
    chat: {
      threads: [{ messages: [] }],
      // The answer stops mid-way and stays open: a stable streaming state.
      model: { reply: markdownAnswer, stallAfterTokens: 40, tokenDelayMs: 4 },
    } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const answer = await canvas.findByRole('article', { name: 'Assistant' }, { timeout: 5_000 });
    await waitFor(() => expect(answer).toHaveAttribute('data-streaming'), { timeout: 5_000 });
    await waitFor(() => expect(answer).toHaveTextContent('Debouncing'), { timeout: 5_000 });
    expect(answer.querySelector('[aria-busy="true"]')).not.toBeNull();
    expect(within(answer).queryByRole('button', { name: 'Copy message' })).toBeNull();
  },
};

/** Reasoning, collapsed above the answer; open it to read. */
export const Reasoning: Story = {
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Is 2,047 prime?' },
        {
          role: 'assistant',
          parts: [
            {
              type: 'reasoning',
              text: '2047 = 23 × 89, so it is not prime. It is a Mersenne number, 2¹¹ − 1, and the smallest Mersenne number with a prime exponent that is composite.',
            },
            {
              type: 'text',
              text: 'No: **2,047 = 23 × 89**. It is 2¹¹ − 1, a composite Mersenne number.',
            },
          ],
        },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    const summary = within(message).getByText('Reasoning');
    const details = summary.closest('details')!;
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    expect(within(message).getByText(/23 × 89, so it is not prime/)).toBeVisible();
  },
};

/**
 * The model failed partway: what arrived stays, with the reason and Retry, which asks for a new
 * answer in its place.
 */
export const FailedAnswer: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: {
      ...exchange({
        messages: [
          { role: 'user', text: 'Summarise the attached report.' },
          {
            role: 'assistant',
            text: 'The report covers three',
            status: 'failed',
            error: { code: 'model_error', message: 'The model provider did not answer in time.' },
          },
        ],
      }),
      model: { reply: 'The report covers three quarters of growth.' },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    expect(message).toHaveTextContent(
      'The answer failed. The model provider did not answer in time.',
    );
    await userEvent.click(within(message).getByRole('button', { name: 'Retry' }));
    await waitFor(
      () => {
        const answers = canvas.getAllByRole('article', { name: 'Assistant' });
        expect(answers).toHaveLength(1);
        expect(answers[0]).toHaveTextContent('The report covers three quarters of growth.');
        expect(answers[0]).toHaveAttribute('data-status', 'complete');
      },
      { timeout: 5_000 },
    );
  },
};

/** Regenerate: another answer takes the answer's place, which stays as a version. */
export const Regenerated: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: {
      ...exchange({
        messages: [
          { role: 'user', text: 'Name a colour.' },
          { role: 'assistant', text: 'Blue.' },
        ],
      }),
      model: { reply: 'Vermilion.' },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    expect(message).toHaveTextContent('Blue.');
    await userEvent.click(within(message).getByRole('button', { name: 'Regenerate answer' }));
    await waitFor(
      () => {
        const answers = canvas.getAllByRole('article', { name: 'Assistant' });
        expect(answers).toHaveLength(1);
        expect(answers[0]).toHaveTextContent('Vermilion.');
        expect(answers[0]).toHaveAttribute('data-status', 'complete');
      },
      { timeout: 5_000 },
    );
    // The old answer is kept as the first version; the new one offers Regenerate in turn.
    await waitFor(() => {
      const latest = canvas.getByRole('article', { name: 'Assistant' });
      expect(within(latest).getByRole('group', { name: 'Version 2 of 2' })).toBeVisible();
      expect(within(latest).getByRole('button', { name: 'Regenerate answer' })).toBeEnabled();
    });
  },
};

/** The question never reached the server: "Not sent." and Retry, which sends it again. */
export const FailedSendRetried: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    thread: { send: 'Are you there?' } satisfies ThreadParameters,
    chat: {
      threads: [{ messages: [] }],
      failing: 'network',
      failingOn: ['send'],
      model: { reply: 'Yes, I am here.' },
    } satisfies ChatScenario,
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const question = await canvas.findByRole('article', { name: 'You' });
    await waitFor(() => expect(question).toHaveAttribute('data-status', 'failed'), {
      timeout: 5_000,
    });
    expect(question).toHaveTextContent('Not sent.');
    chatBackend.recover();
    await userEvent.click(within(question).getByRole('button', { name: 'Retry' }));
    const answer = await canvas.findByRole('article', { name: 'Assistant' }, { timeout: 5_000 });
    await waitFor(() => expect(answer).toHaveTextContent('Yes, I am here.'), { timeout: 5_000 });
    expect(canvas.getByRole('article', { name: 'You' })).toHaveAttribute('data-status', 'complete');
  },
};

/** The user stopped the answer: what arrived stays, marked "Stopped". */
export const Cancelled: Story = {
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Write a long poem about the sea.' },
        {
          role: 'assistant',
          text: 'The tide comes in with silver hands,\nand writes its name across the sands —',
          status: 'cancelled',
        },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    expect(within(message).getByText('Stopped')).toBeVisible();
  },
};

/** The server stopped mid-answer (a restart): the answer is marked interrupted, with Retry. */
export const Interrupted: Story = {
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'List the steps to rotate an API key.' },
        {
          role: 'assistant',
          text: '1. Create the new key.\n2. Deploy it beside the old',
          status: 'failed',
          error: { code: 'interrupted', message: 'The answer was interrupted before it finished.' },
        },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    expect(message).toHaveTextContent('The answer was interrupted.');
    expect(within(message).getByRole('button', { name: 'Retry' })).toBeEnabled();
  },
};

/**
 * An answer in a language outside the highlighter's own set (its grammar is fetched when the
 * block first shows), with a task list, strikethrough, a bare link and raw HTML shown as text.
 */
export const AssistantMoreLanguages: Story = {
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'And in Rust?' },
        { role: 'assistant', text: moreLanguagesAnswer },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    const code = message.querySelector('pre code')!;
    await waitFor(() => expect(code.querySelector('.hljs-keyword')).toHaveTextContent('fn'));
    expect(
      within(message)
        .getAllByRole('checkbox')
        .map((box) => box.matches(':checked')),
    ).toEqual([true, false]);
    expect(message.querySelector('del')).toHaveTextContent('left');
    expect(within(message).getByRole('link', { name: 'www.rust-lang.org' })).toHaveAttribute(
      'href',
      'http://www.rust-lang.org/',
    );
    expect(message).toHaveTextContent('— or ask <b>me</b>.');
  },
};

/** A long, wide code block: it scrolls sideways inside the message, from the keyboard too. */
export const LongCode: Story = {
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Show me the whole module.' },
        { role: 'assistant', text: longCode },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const message = await canvas.findByRole('article', { name: 'Assistant' });
    const pre = message.querySelector('pre')!;
    expect(pre.scrollWidth).toBeGreaterThan(pre.clientWidth);
    expect(message.scrollWidth).toBeLessThanOrEqual(message.clientWidth + 1);
    pre.focus();
    expect(pre).toHaveFocus();
  },
};

/** Three answers to one question (two regenerations): ‹ 3/3 ›, switched by mouse and keyboard. */
export const AnswerVersions: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Name a colour.' },
        { role: 'assistant', text: 'Blue.' },
        { role: 'assistant', text: 'Vermilion.', parentId: 'thread-1-m1' },
        { role: 'assistant', text: 'Chartreuse.', parentId: 'thread-1-m1' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const answer = () => canvas.getByRole('article', { name: 'Assistant' });
    await waitFor(() => expect(answer()).toHaveTextContent('Chartreuse.'));
    const versions = await within(answer()).findByRole('group', { name: 'Version 3 of 3' });
    expect(versions).toHaveTextContent('3/3');
    expect(within(versions).getByRole('button', { name: 'Next version' })).toBeDisabled();
    // The question has a single version: no picker.
    expect(
      within(canvas.getByRole('article', { name: 'You' })).queryByRole('group', {
        name: /Version/,
      }),
    ).toBeNull();

    // Mouse: back one version.
    await userEvent.click(within(versions).getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(answer()).toHaveTextContent('Vermilion.'));
    const second = within(answer()).getByRole('group', { name: 'Version 2 of 3' });
    // Keyboard: focus stayed on Previous, in the version now shown; Enter goes on to the first.
    await waitFor(() =>
      expect(within(second).getByRole('button', { name: 'Previous version' })).toHaveFocus(),
    );
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(answer()).toHaveTextContent('Blue.'));
    const first = within(answer()).getByRole('group', { name: 'Version 1 of 3' });
    expect(within(first).getByRole('button', { name: 'Previous version' })).toBeDisabled();
    // At the first version focus waits on Next; Space goes forward again.
    await waitFor(() =>
      expect(within(first).getByRole('button', { name: 'Next version' })).toHaveFocus(),
    );
    await userEvent.keyboard(' ');
    await waitFor(() => expect(answer()).toHaveTextContent('Vermilion.'));
  },
};

/** An edited question: its versions, each with the answers of its own branch. */
export const QuestionVersions: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Plan a weekend in Porto.' },
        { role: 'assistant', text: 'Day one: Ribeira and the port cellars.' },
        { role: 'user', text: 'Plan a weekend in Lisbon.', parentId: null },
        { role: 'assistant', text: 'Day one: Alfama and the tram 28.' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const question = () => canvas.getByRole('article', { name: 'You' });
    await waitFor(() => expect(question()).toHaveTextContent('Lisbon'));
    const versions = within(question()).getByRole('group', { name: 'Version 2 of 2' });
    await userEvent.click(within(versions).getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(question()).toHaveTextContent('Porto'));
    // The answer below follows the question's version.
    expect(canvas.getByRole('article', { name: 'Assistant' })).toHaveTextContent('Ribeira');
    expect(within(question()).getByRole('group', { name: 'Version 1 of 2' })).toBeVisible();
  },
};

/**
 * Edit a question in place: Escape cancels (focus back on Edit), Enter saves a new version,
 * which is answered; Shift+Enter adds a line.
 */
export const EditQuestion: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: {
      ...exchange({
        messages: [
          { role: 'user', text: 'Plan a weekend in Porto.' },
          { role: 'assistant', text: 'Day one: Ribeira and the port cellars.' },
        ],
      }),
      model: { reply: 'Day one: Alfama and the tram 28.' },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const question = () => canvas.getByRole('article', { name: 'You' });
    await canvas.findByRole('article', { name: 'You' });
    const edit = await within(question()).findByRole('button', { name: 'Edit message' });

    await userEvent.click(edit);
    let field = within(question()).getByRole('textbox', { name: 'Edit your message' });
    expect(field).toHaveFocus();
    expect(field).toHaveValue('Plan a weekend in Porto.');
    await userEvent.keyboard(' And Braga.');
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(within(question()).getByRole('button', { name: 'Edit message' })).toHaveFocus(),
    );
    expect(question()).toHaveTextContent('Plan a weekend in Porto.');
    expect(within(question()).queryByRole('textbox')).toBeNull();

    await userEvent.keyboard('{Enter}');
    field = within(question()).getByRole('textbox', { name: 'Edit your message' });
    await userEvent.clear(field);
    expect(within(question()).getByRole('button', { name: 'Save and send' })).toBeDisabled();
    await userEvent.type(field, 'Plan a weekend in Lisbon.{Shift>}{Enter}{/Shift}With kids.');
    expect(field).toHaveValue('Plan a weekend in Lisbon.\nWith kids.');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(question()).toHaveTextContent('Plan a weekend in Lisbon.'), {
      timeout: 5_000,
    });
    await waitFor(
      () => expect(canvas.getByRole('article', { name: 'Assistant' })).toHaveTextContent('Alfama'),
      { timeout: 5_000 },
    );
    expect(within(question()).getByRole('group', { name: 'Version 2 of 2' })).toBeVisible();
    await chatBackend.idle();
  },
};

/** The editor open on a question, for a look at it (and axe's). */
export const Editing: Story = {
  args: { messageId: 'thread-1-m1' },
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Plan a weekend in Porto,\nwith a day trip to the Douro valley.' },
        { role: 'assistant', text: 'Day one: Ribeira and the port cellars.' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(await canvas.findByRole('button', { name: 'Edit message' }));
    expect(canvas.getByRole('textbox', { name: 'Edit your message' })).toHaveFocus();
    expect(canvas.getByRole('button', { name: 'Save and send' })).toBeEnabled();
  },
};

/**
 * Regenerate an earlier answer: the new one starts a branch of its own (the later exchange is
 * on the old branch), and the picker goes back to it.
 */
export const RegenerateEarlierAnswer: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: {
      ...exchange({
        messages: [
          { role: 'user', text: 'Name a colour.' },
          { role: 'assistant', text: 'Blue.' },
          { role: 'user', text: 'And a fruit?' },
          { role: 'assistant', text: 'A pear.' },
        ],
      }),
      model: { reply: 'Vermilion.' },
    },
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const answers = () => canvas.getAllByRole('article', { name: 'Assistant' });
    await waitFor(() => expect(answers()).toHaveLength(2));
    await userEvent.click(within(answers()[0]!).getByRole('button', { name: 'Regenerate answer' }));
    await waitFor(
      () => {
        expect(answers()).toHaveLength(1);
        expect(answers()[0]).toHaveTextContent('Vermilion.');
        expect(answers()[0]).toHaveAttribute('data-status', 'complete');
      },
      { timeout: 5_000 },
    );
    const versions = within(answers()[0]!).getByRole('group', { name: 'Version 2 of 2' });
    await userEvent.click(within(versions).getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(answers()).toHaveLength(2));
    expect(answers()[0]).toHaveTextContent('Blue.');
    expect(answers()[1]).toHaveTextContent('A pear.');
  },
};

/** Delete asks first; Cancel keeps the message, Delete removes it and every reply below it. */
export const DeleteWithConfirmation: Story = {
  render: (args) => <Conversation labels={args.labels} />,
  parameters: {
    chat: exchange({
      messages: [
        { role: 'user', text: 'Name a colour.' },
        { role: 'assistant', text: 'Blue.' },
        { role: 'user', text: 'And a fruit?' },
        { role: 'assistant', text: 'A pear.' },
      ],
    }),
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const questions = () => canvas.getAllByRole('article', { name: 'You' });
    await waitFor(() => expect(questions()).toHaveLength(2));
    const remove = within(questions()[1]!).getByRole('button', { name: 'Delete message' });

    await userEvent.click(remove);
    let dialog = within(questions()[1]!).getByRole('alertdialog', {
      name: 'Delete this message and every reply below it? This cannot be undone.',
    });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(within(questions()[1]!).getByRole('button', { name: 'Delete message' })).toHaveFocus(),
    );
    expect(canvas.getAllByRole('article')).toHaveLength(4);

    await userEvent.keyboard('{Enter}');
    dialog = within(questions()[1]!).getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(2));
    expect(canvas.getByRole('article', { name: 'Assistant' })).toHaveTextContent('Blue.');
    const page = await chatBackend.store.listMessages(chatBackend.scope, 'thread-1', { limit: 50 });
    expect(page?.items.map((message) => message.id)).toEqual(['thread-1-m1', 'thread-1-m2']);
  },
};
