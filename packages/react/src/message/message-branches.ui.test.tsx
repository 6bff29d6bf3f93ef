// @vitest-environment happy-dom
import { messageText } from '@confab/core';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { settle, testBackend, waitFor } from '../internal/testing';
import { accessibleName, click, keyDown, type } from '../internal/ui-testing';
import { controlledStream, type RenderedThread, renderThread } from './testing/render-thread';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function open(options: Parameters<typeof renderThread>[0] = {}) {
  const view = await renderThread(options);
  cleanups.push(view.unmount);
  return view;
}

/** A thread with one question answered by `respond` (default: an answer naming the question). */
async function answered(question = 'Plan a trip', respond?: (text: string) => string) {
  const view = await open({
    backend: testBackend({
      reply: (messages) => {
        const text = messageText(messages.at(-1)!);
        return respond ? respond(text) : `About: ${text} (${messages.length})`;
      },
    }),
  });
  await act(async () => {
    await view.controller.send(question);
  });
  await settle();
  return view;
}

const articles = (view: RenderedThread, role: 'user' | 'assistant') => [
  ...view.container.querySelectorAll<HTMLElement>(`article[data-role="${role}"]`),
];

/** The button of `scope` with this accessible name (aria-label or text). */
function control(scope: Element, name: string): HTMLButtonElement | undefined {
  return [...scope.querySelectorAll('button')].find(
    (candidate) => accessibleName(candidate) === name,
  );
}

function picker(article: Element): HTMLElement | null {
  return article.querySelector<HTMLElement>('[data-branch-picker]');
}

async function enter(element: Element, init: KeyboardEventInit = {}) {
  await act(async () => {
    element.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }),
    );
  });
}

describe('BranchPicker', () => {
  it('shows nothing for a message with one version', async () => {
    const view = await answered();
    expect(picker(articles(view, 'assistant')[0]!)).toBeNull();
    expect(picker(articles(view, 'user')[0]!)).toBeNull();
  });

  it('switches between regenerated answers, disabled at the ends, keeping the focus', async () => {
    let round = 0;
    const view = await answered('Plan a trip', () => `Answer number ${++round}`);
    await click(control(articles(view, 'assistant')[0]!, 'Regenerate answer')!);
    await waitFor(() =>
      expect(articles(view, 'assistant')[0]!.textContent).toContain('Answer number 2'),
    );
    await settle();
    let answer = articles(view, 'assistant')[0]!;
    const group = picker(answer)!;
    expect(accessibleName(group)).toBe('Version 2 of 2');
    expect(group.getAttribute('data-index')).toBe('2');
    expect(group.getAttribute('data-count')).toBe('2');
    expect(group.textContent).toContain('2/2');
    expect(control(group, 'Next version')!.disabled).toBe(true);
    expect(control(group, 'Previous version')!.disabled).toBe(false);

    control(group, 'Previous version')!.focus();
    await click(control(group, 'Previous version')!);
    await waitFor(() =>
      expect(articles(view, 'assistant')[0]!.textContent).toContain('Answer number 1'),
    );
    await settle();
    answer = articles(view, 'assistant')[0]!;
    expect(accessibleName(picker(answer)!)).toBe('Version 1 of 2');
    expect(control(answer, 'Previous version')!.disabled).toBe(true);
    // The first version has no previous one: focus waits on Next, for the way back.
    expect(document.activeElement).toBe(control(answer, 'Next version'));
  });

  it('is disabled while an answer streams in the thread', async () => {
    const streams: ReturnType<typeof controlledStream>[] = [];
    const view = await open({
      backend: testBackend({
        reply: () => {
          const stream = controlledStream();
          streams.push(stream);
          return stream.pieces;
        },
      }),
    });
    let sent: Promise<unknown> = Promise.resolve();
    await act(async () => {
      sent = view.controller.send('Hello');
    });
    await waitFor(() => expect(streams).toHaveLength(1));
    streams[0]!.push('One.');
    streams[0]!.end();
    await act(async () => {
      await sent;
    });
    await settle();
    await click(control(articles(view, 'assistant')[0]!, 'Regenerate answer')!);
    await waitFor(() => expect(streams).toHaveLength(2));
    streams[1]!.push('Two.');
    streams[1]!.end();
    await settle();
    await act(async () => {
      sent = view.controller.send('And then?');
    });
    await waitFor(() => expect(streams).toHaveLength(3));
    const group = picker(articles(view, 'assistant')[0]!)!;
    expect(group.hasAttribute('data-busy')).toBe(true);
    expect(control(group, 'Previous version')!.disabled).toBe(true);
    streams[2]!.end();
    await act(async () => {
      await sent;
    });
    await settle();
    await waitFor(() =>
      expect(picker(articles(view, 'assistant')[0]!)!.hasAttribute('data-busy')).toBe(false),
    );
  });
});

describe('inline edit of a question', () => {
  it('opens with the text, and Escape cancels back to the Edit button', async () => {
    const view = await answered();
    const question = articles(view, 'user')[0]!;
    await click(control(question, 'Edit message')!);
    const field = question.querySelector('textarea')!;
    expect(accessibleName(field)).toBe('Edit your message');
    expect(field.value).toBe('Plan a trip');
    expect(document.activeElement).toBe(field);
    expect(question.hasAttribute('data-editing')).toBe(true);

    await type(field, 'Something else');
    await keyDown(field, 'Escape');
    await settle();
    expect(question.querySelector('textarea')).toBeNull();
    expect(question.textContent).toContain('Plan a trip');
    expect(document.activeElement).toBe(control(question, 'Edit message'));
  });

  it('saves with Enter: a new version of the question, answered, on the branch shown', async () => {
    const view = await answered();
    await click(control(articles(view, 'user')[0]!, 'Edit message')!);
    const field = articles(view, 'user')[0]!.querySelector('textarea')!;
    await type(field, 'Plan a trip to Lisbon');
    // Shift+Enter is a new line, not a save.
    await enter(field, { shiftKey: true });
    expect(articles(view, 'user')[0]!.querySelector('textarea')).not.toBeNull();
    await enter(field);
    await waitFor(() =>
      expect(articles(view, 'assistant')[0]!.textContent).toContain('Plan a trip to Lisbon'),
    );
    await settle();
    const question = articles(view, 'user')[0]!;
    expect(question.querySelector('textarea')).toBeNull();
    expect(question.textContent).toContain('Plan a trip to Lisbon');
    expect(accessibleName(picker(question)!)).toBe('Version 2 of 2');
    expect(articles(view, 'user')).toHaveLength(1);
  });

  it('ignores the Enter of an IME composition, and never saves an empty text', async () => {
    const view = await answered();
    await click(control(articles(view, 'user')[0]!, 'Edit message')!);
    const question = articles(view, 'user')[0]!;
    const field = question.querySelector('textarea')!;
    await type(field, '東京');
    await enter(field, { isComposing: true });
    await enter(field, { keyCode: 229 } as KeyboardEventInit);
    await settle();
    expect(question.querySelector('textarea')).not.toBeNull();

    await type(field, '   ');
    expect(control(question, 'Save and send')!.disabled).toBe(true);
    await enter(field);
    await settle();
    expect(question.querySelector('textarea')).not.toBeNull();
    expect(picker(question)).toBeNull();
  });
});

describe('deleting a message', () => {
  it('asks first; Cancel keeps it and gives the focus back to Delete', async () => {
    const view = await answered();
    const question = articles(view, 'user')[0]!;
    await click(control(question, 'Delete message')!);
    const dialog = question.querySelector('[role="alertdialog"]')!;
    expect(accessibleName(dialog)).toBe(
      'Delete this message and every reply below it? This cannot be undone.',
    );
    expect(document.activeElement).toBe(control(dialog, 'Cancel'));
    await click(control(dialog, 'Cancel')!);
    await settle();
    expect(articles(view, 'user')).toHaveLength(1);
    expect(document.activeElement).toBe(control(question, 'Delete message'));
  });

  it('removes the message and the replies below it once confirmed', async () => {
    const view = await answered();
    await act(async () => {
      await view.controller.send('And a second question');
    });
    await settle();
    const [, second] = articles(view, 'user');
    await click(control(second!, 'Delete message')!);
    await click(control(second!.querySelector('[role="alertdialog"]')!, 'Delete')!);
    await waitFor(() => expect(articles(view, 'user')).toHaveLength(1));
    expect(articles(view, 'assistant')).toHaveLength(1);
    expect(articles(view, 'user')[0]!.textContent).toContain('Plan a trip');
  });
});
