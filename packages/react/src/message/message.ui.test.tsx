// @vitest-environment happy-dom
import { type ChatBackend, ConfabError, messageText } from '@confab/core';
import { act, Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle, testBackend, waitFor } from '../internal/testing';
import { useMessageIds } from '../provider/thread-scope';
import { Message } from './message';
import {
  controlledStream,
  fixtureMessage,
  type RenderedThread,
  renderThread,
} from './testing/render-thread';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function open(options: Parameters<typeof renderThread>[0]) {
  const view = await renderThread(options);
  cleanups.push(view.unmount);
  return view;
}

/** The accessible name of an element named by `aria-labelledby`. */
function nameOf(element: Element): string {
  const id = element.getAttribute('aria-labelledby');
  return id ? (element.ownerDocument.getElementById(id)?.textContent ?? '') : '';
}

function liveRegion(article: Element): Element {
  return article.querySelector('[aria-live="polite"]')!;
}

function assistantArticle(view: RenderedThread): HTMLElement {
  const articles = view.container.querySelectorAll<HTMLElement>('article[data-role="assistant"]');
  const article = articles[articles.length - 1];
  if (!article) throw new Error('No answer on screen yet.');
  return article;
}

function button(scope: Element, name: string): HTMLButtonElement | undefined {
  return [...scope.querySelectorAll('button')].find(
    (candidate) => candidate.textContent?.trim() === name,
  );
}

/** Every message of the thread, each counting its commits. */
function CountedMessages({ renders }: { renders: Map<string, number> }) {
  const ids = useMessageIds();
  return ids.map((id) => (
    <Profiler
      key={id}
      id={id}
      onRender={(profiled) => renders.set(profiled, (renders.get(profiled) ?? 0) + 1)}
    >
      <Message messageId={id} />
    </Profiler>
  ));
}

describe('Message', () => {
  it("shows the user's message as plain text in a bubble, line breaks kept", async () => {
    const question = fixtureMessage({
      role: 'user',
      text: 'First line\n**not bold** <b>nor this</b>',
    });
    const view = await open({ messages: [question] });
    const article = view.article(question.id);
    expect(article.tagName).toBe('ARTICLE');
    expect(article.getAttribute('data-role')).toBe('user');
    expect(nameOf(article)).toBe('You');
    const text = article.querySelector<HTMLElement>(
      '.confab-message__bubble .confab-message__text',
    )!;
    expect(text.textContent).toBe('First line\n**not bold** <b>nor this</b>');
    expect(text.style.whiteSpace).toBe('pre-wrap');
    expect(article.querySelector('strong, b')).toBeNull();
    // A question has its own actions (edit, delete), not the answer's, nor its announcements.
    const actions = article.querySelector('[role="group"]')!;
    expect(
      [...actions.querySelectorAll('button')].map((button) => button.getAttribute('aria-label')),
    ).toEqual(['Edit message', 'Delete message']);
    expect(article.querySelector('[aria-live="polite"]')).toBeNull();
  });

  it("shows the assistant's answer as markdown with a copy action", async () => {
    const answer = fixtureMessage({ role: 'assistant', text: '# Hello\n\nSome `code`.' });
    const view = await open({ messages: [answer] });
    const article = view.article(answer.id);
    expect(nameOf(article)).toBe('Assistant');
    expect(article.getAttribute('data-status')).toBe('complete');
    expect(article.querySelector('.confab-message__content h1')?.textContent).toBe('Hello');
    const actions = article.querySelector('[role="group"]');
    expect(actions?.getAttribute('aria-label')).toBe('Message actions');
    expect(actions?.querySelector('button')?.textContent).toBe('Copy message');
    // A message loaded from history is not news: nothing is announced.
    expect(liveRegion(article).textContent).toBe('');
  });

  it('copies the whole answer', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const answer = fixtureMessage({
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Private thoughts' },
        { type: 'text', text: 'Use **npm**:\n\n```sh\nnpm i\n```' },
      ],
    });
    const view = await open({ messages: [answer] });
    const copy = view.article(answer.id).querySelector<HTMLButtonElement>('.confab-message__copy')!;
    await act(async () => copy.click());
    expect(writeText).toHaveBeenCalledWith(messageText(answer));
    expect(copy.textContent).toBe('Copied');
    expect(copy.hasAttribute('data-copied')).toBe(true);
  });

  it('streams an answer: busy, a caret, then announced block by block', async () => {
    const stream = controlledStream();
    const view = await open({ backend: testBackend({ reply: () => stream.pieces }) });
    let sent: Promise<unknown> = Promise.resolve();
    await act(async () => {
      sent = view.controller.send('Hello');
    });
    await waitFor(() => assistantArticle(view));
    let article = assistantArticle(view);
    expect(article.hasAttribute('data-streaming')).toBe(true);
    expect(article.getAttribute('data-status')).toBe('streaming');
    const content = article.querySelector('.confab-message__content')!;
    expect(content.getAttribute('aria-busy')).toBe('true');
    // Before the first token: a typing indicator with a name.
    expect(content.textContent).toBe('Answering…');
    expect(article.querySelector('[role="group"]')).toBeNull();

    stream.push('First paragraph.\n\nSec');
    await waitFor(() => expect(content.textContent).toContain('Sec'));
    expect(liveRegion(article).textContent).toBe('First paragraph.');
    stream.push('ond paragraph.');
    await waitFor(() => expect(content.textContent).toContain('Second paragraph.'));
    // The growing block is not announced before it is complete.
    expect(liveRegion(article).textContent).toBe('First paragraph.');

    stream.end();
    await act(async () => {
      await sent;
    });
    await settle();
    article = assistantArticle(view);
    expect(article.hasAttribute('data-streaming')).toBe(false);
    expect(article.querySelector('.confab-message__content')?.hasAttribute('aria-busy')).toBe(
      false,
    );
    expect(liveRegion(article).textContent).toBe('Second paragraph.');
    expect(article.querySelector('.confab-message__copy')).not.toBeNull();
    // The question was confirmed by the server and is no longer pending.
    expect(
      view.container.querySelector('article[data-role="user"]')?.getAttribute('data-status'),
    ).toBe('complete');
  });

  it('marks an answer stopped halfway, and says so', async () => {
    const stream = controlledStream();
    const view = await open({ backend: testBackend({ reply: () => stream.pieces }) });
    let sent: Promise<unknown> = Promise.resolve();
    await act(async () => {
      sent = view.controller.send('Tell me a story');
    });
    stream.push('Once upon a time');
    await waitFor(() => expect(assistantArticle(view).textContent).toContain('Once upon a time'));
    await act(async () => {
      await view.controller.stop();
      // The model notices the stop when it next produces text.
      stream.push(' there was');
      await sent;
    });
    await settle();
    const article = assistantArticle(view);
    expect(article.getAttribute('data-status')).toBe('cancelled');
    expect(article.querySelector('.confab-message__note')?.textContent).toBe('Stopped');
    expect(liveRegion(article).textContent).toBe('Once upon a time Stopped');
  });

  it('dims a message the server has not confirmed yet', async () => {
    const question = fixtureMessage({ role: 'user', status: 'pending', text: 'Sending…' });
    const view = await open({ messages: [question] });
    expect(view.article(question.id).getAttribute('data-status')).toBe('pending');
  });

  it('shows a failed answer with its error and Retry, which asks for a new answer', async () => {
    const question = fixtureMessage({ role: 'user', text: 'Why?' });
    const answer = fixtureMessage({
      role: 'assistant',
      parentId: question.id,
      status: 'failed',
      text: 'Because',
      error: { code: 'model_error', message: 'The model timed out.' },
    });
    const regenerated: string[] = [];
    const base = testBackend();
    const backend: ChatBackend = {
      ...base,
      regenerateMessage: async (threadId, messageId, ...rest) => {
        regenerated.push(messageId);
        return base.regenerateMessage(threadId, messageId, ...rest);
      },
    };
    const view = await open({ messages: [question, answer], backend });
    const article = view.article(answer.id);
    expect(article.getAttribute('data-error')).toBe('model_error');
    const note = article.querySelector('.confab-message__note')!;
    expect(note.getAttribute('data-tone')).toBe('danger');
    expect(note.querySelector('.confab-message__note-text')?.textContent).toBe(
      'The answer failed. The model timed out.',
    );
    // A failed answer has Retry, not Regenerate.
    expect(button(article, 'Regenerate answer')).toBeUndefined();
    await act(async () => button(note, 'Retry')!.click());
    // The request reached the backend for this answer (which the in-memory one does not hold).
    expect(regenerated).toEqual([answer.id]);
  });

  it('offers Regenerate on every answer once it has ended, keeping the old one as a version', async () => {
    const backend = testBackend({ reply: (messages) => `Answer ${messages.length}` });
    const view = await open({ backend });
    await act(async () => {
      await view.controller.send('First');
    });
    await act(async () => {
      await view.controller.send('Second');
    });
    await settle();
    const answers = () => [
      ...view.container.querySelectorAll<HTMLElement>('article[data-role="assistant"]'),
    ];
    expect(answers().map((article) => button(article, 'Regenerate answer') !== undefined)).toEqual([
      true,
      true,
    ]);
    const before = answers()[1]!.getAttribute('data-message-id');

    await act(async () => button(answers()[1]!, 'Regenerate answer')!.click());
    await waitFor(() => expect(answers()[1]!.getAttribute('data-message-id')).not.toBe(before));
    await waitFor(() => expect(answers()[1]!.getAttribute('data-status')).toBe('complete'));
    // The new answer took the old one's place, which is its first version now.
    expect(answers()).toHaveLength(2);
    expect(view.container.querySelectorAll('article[data-role="user"]')).toHaveLength(2);
    await waitFor(() =>
      expect(answers()[1]!.querySelector('[data-branch-picker]')?.getAttribute('aria-label')).toBe(
        'Version 2 of 2',
      ),
    );
    expect(button(answers()[1]!, 'Regenerate answer')).toBeDefined();
    expect(button(answers()[0]!, 'Regenerate answer')).toBeDefined();
    expect(answers()[0]!.querySelector('[data-branch-picker]')).toBeNull();
  });

  it('says an interrupted answer was interrupted', async () => {
    const question = fixtureMessage({ role: 'user', text: 'Q' });
    const answer = fixtureMessage({
      role: 'assistant',
      status: 'failed',
      text: 'Half an ans',
      error: { code: 'interrupted', message: 'The answer was interrupted before it finished.' },
    });
    const view = await open({ messages: [question, answer] });
    const note = view.article(answer.id).querySelector('.confab-message__note')!;
    expect(note.querySelector('.confab-message__note-text')?.textContent).toBe(
      'The answer was interrupted.',
    );
  });

  it('shows a note on a stopped answer from history', async () => {
    const answer = fixtureMessage({ role: 'assistant', status: 'cancelled', text: 'Partial' });
    const view = await open({ messages: [answer] });
    const note = view.article(answer.id).querySelector('.confab-message__note')!;
    expect(note.textContent).toBe('Stopped');
    expect(note.hasAttribute('data-tone')).toBe(false);
  });

  it('offers retry only on the newest message, the one a retry acts on', async () => {
    const failed = fixtureMessage({
      role: 'assistant',
      status: 'failed',
      error: { code: 'model_error', message: 'Boom' },
    });
    const later = fixtureMessage({ role: 'user', text: 'Never mind' });
    const view = await open({ messages: [failed, later] });
    expect(view.article(failed.id).querySelector('.confab-message__note')).not.toBeNull();
    expect(button(view.article(failed.id), 'Retry')).toBeUndefined();
  });

  it('retries a send that never reached the server', async () => {
    const base = testBackend({ reply: () => 'Got it.' });
    let failures = 1;
    const backend: ChatBackend = {
      ...base,
      sendMessage: async (...args) => {
        if (failures-- > 0) throw new ConfabError('network_error', 'Failed to fetch');
        return base.sendMessage(...args);
      },
    };
    const view = await open({ backend });
    await act(async () => {
      await view.controller.send('Are you there?');
    });
    await settle();
    const question = view.container.querySelector<HTMLElement>('article[data-role="user"]')!;
    expect(question.getAttribute('data-status')).toBe('failed');
    const note = question.querySelector('.confab-message__note')!;
    expect(note.querySelector('.confab-message__note-text')?.textContent).toBe('Not sent.');

    await act(async () => button(note, 'Retry')!.click());
    await waitFor(() => expect(assistantArticle(view).textContent).toContain('Got it.'));
    const questions = view.container.querySelectorAll('article[data-role="user"]');
    expect(questions).toHaveLength(1);
    expect(questions[0]!.getAttribute('data-status')).toBe('complete');
    expect(questions[0]!.querySelector('.confab-message__note')).toBeNull();
  });

  it('collapses reasoning, labelled "Thinking…" while it streams', async () => {
    const thought = fixtureMessage({
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Let me **think**.' },
        { type: 'text', text: 'The answer.' },
      ],
    });
    const thinking = fixtureMessage({
      role: 'assistant',
      status: 'streaming',
      parts: [{ type: 'reasoning', text: 'Hmm' }],
    });
    const view = await open({ messages: [thought, thinking] });
    const details = view.article(thought.id).querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Reasoning');
    expect(details.querySelector('strong')?.textContent).toBe('think');
    const streaming = view.article(thinking.id).querySelector('details')!;
    expect(streaming.querySelector('summary')?.textContent).toBe('Thinking…');
    expect(streaming.hasAttribute('data-streaming')).toBe(true);
  });

  it("takes the provider's labels and its own", async () => {
    const stopped = fixtureMessage({ role: 'assistant', status: 'cancelled', text: 'Partial' });
    const view = await open({
      messages: [stopped],
      labels: { assistantAuthor: 'Confab' },
      children: <Message messageId={stopped.id} labels={{ answerStopped: 'Halted' }} />,
    });
    const article = view.container.querySelector('article')!;
    expect(nameOf(article)).toBe('Confab');
    expect(article.querySelector('.confab-message__note')?.textContent).toBe('Halted');
  });

  it("does not re-render for another message's stream", async () => {
    const stream = controlledStream();
    // The first question gets a whole answer at once; the second streams piece by piece.
    let answered = 0;
    const renders = new Map<string, number>();
    const view = await open({
      backend: testBackend({
        reply: () => (answered++ === 0 ? 'An earlier answer.' : stream.pieces),
      }),
      children: <CountedMessages renders={renders} />,
    });
    let earlier: { id: string } | null = null;
    await act(async () => {
      earlier = await view.controller.send('First');
    });
    await settle();
    expect(assistantArticle(view).textContent).toContain('An earlier answer.');
    let sent: Promise<unknown> = Promise.resolve();
    await act(async () => {
      sent = view.controller.send('More');
    });
    stream.push('One');
    await waitFor(() => expect(assistantArticle(view).textContent).toContain('One'));
    const answerId = view.controller.getSnapshot().messages.at(-1)!.id;
    const earlierId = earlier!.id;
    const before = { earlier: renders.get(earlierId)!, answer: renders.get(answerId)! };
    for (const piece of [' two', ' three', ' four']) {
      stream.push(piece);
      await waitFor(() => expect(assistantArticle(view).textContent).toContain(piece.trim()));
    }
    expect(renders.get(earlierId)).toBe(before.earlier);
    expect(renders.get(answerId)!).toBeGreaterThanOrEqual(before.answer + 3);
    stream.end();
    await act(async () => {
      await sent;
    });
  });
});
