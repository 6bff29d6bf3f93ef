// @vitest-environment happy-dom

import type { Message } from '@confab/core';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type MountOptions, mount, waitFor } from '../internal/testing';
import { Markdown } from './markdown';
import {
  isMarkdownBlockRendered,
  prepareMarkdown,
  renderedMarkdownCapacity,
} from './markdown-cache';
import { prepareMessage } from './prepare-message';

// Counts the blocks parsed, to tell what was rendered again from what was reused.
const parsed = vi.hoisted(() => ({ texts: [] as string[] }));
vi.mock('./render-markdown', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./render-markdown')>();
  return {
    ...actual,
    renderMarkdown: (...args: Parameters<typeof actual.renderMarkdown>) => {
      parsed.texts.push(args[0]);
      return actual.renderMarkdown(...args);
    },
  };
});

// Counts the code blocks highlighted, likewise.
const highlighted = vi.hoisted(() => ({ codes: [] as string[] }));
vi.mock('./highlight-code', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./highlight-code')>();
  return {
    ...actual,
    highlightCode: (...args: Parameters<typeof actual.highlightCode>) => {
      highlighted.codes.push(args[0]);
      return actual.highlightCode(...args);
    },
  };
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  parsed.texts.length = 0;
  highlighted.codes.length = 0;
});

async function render(element: ReactNode, labels?: MountOptions['labels']) {
  const view = await mount(element, { labels });
  cleanups.push(view.unmount);
  return view;
}

// Each test uses text of its own: the cache outlives a test.
const answer = (name: string) =>
  `${name}: the first paragraph.\n\n- ${name} one\n- two\n\n\`\`\`ts\nconst ${name} = 1;\n\`\`\``;

describe('rendered markdown cache', () => {
  it('parses a settled answer once: mounted again (scrolled back into view), it parses nothing', async () => {
    const text = answer('remount');
    const first = await render(<Markdown text={text} />);
    expect(parsed.texts).toHaveLength(3);
    await waitFor(() => expect(first.container.querySelector('.hljs-keyword')).not.toBeNull());
    const html = first.container.innerHTML;
    first.unmount();

    const second = await render(<Markdown text={text} />);
    expect(second.container.innerHTML).toBe(html);
    expect(parsed.texts).toHaveLength(3);
    expect(second.container.querySelector('pre code .hljs-keyword')?.textContent).toBe('const');
    // Its code was highlighted once, when it first showed.
    expect(highlighted.codes).toEqual(['const remount = 1;\n']);
  });

  it('keeps the growing block of a streaming answer out, and keeps it without parsing when the answer ends', async () => {
    const text = answer('streaming');
    const view = await render(<Markdown text={text.slice(0, -10)} streaming />);
    await view.rerender(<Markdown text={text} streaming />);
    // The code block was still growing: each version parsed, none kept.
    const lastBlock = text.slice(text.lastIndexOf('```ts'));
    expect(parsed.texts.filter((block) => block.startsWith('```ts'))).toHaveLength(2);
    expect(isMarkdownBlockRendered(lastBlock)).toBe(false);
    expect(isMarkdownBlockRendered(`streaming: the first paragraph.`)).toBe(true);

    await view.rerender(<Markdown text={text} />);
    expect(isMarkdownBlockRendered(lastBlock)).toBe(true);
    expect(parsed.texts.filter((block) => block.startsWith('```ts'))).toHaveLength(2);
  });

  it('re-parses only the last item of a list still streaming in, and the list once it ends', async () => {
    const items = Array.from({ length: 40 }, (_, index) => `- growing item **${index}**`);
    const text = `The steps:\n${items.join('\n')}`;
    const view = await render(<Markdown text={`${text}\n- la`} streaming />);
    parsed.texts.length = 0;
    await view.rerender(<Markdown text={`${text}\n- last`} streaming />);
    expect(parsed.texts).toEqual(['- last']);
    expect(view.container.querySelectorAll('ul > li')).toHaveLength(41);

    // Ended: the list is parsed whole once, and shows the same.
    const html = view.container.innerHTML;
    await view.rerender(<Markdown text={`${text}\n- last`} />);
    expect(parsed.texts).toEqual(['- last', `${text}\n- last`]);
    expect(view.container.innerHTML).toBe(html);
  });

  it('shows the labels of where it mounts, not of where it was first rendered', async () => {
    const text = answer('labels');
    const english = await render(<Markdown text={text} />);
    expect(english.container.querySelector('.confab-code-block__copy')?.textContent).toBe(
      'Copy code',
    );
    english.unmount();

    const french = await render(<Markdown text={text} />, { copyCode: 'Copier le code' });
    expect(french.container.querySelector('.confab-code-block__copy')?.textContent).toBe(
      'Copier le code',
    );
    expect(parsed.texts).toHaveLength(3);
  });

  it('renders ahead of time what will mount later, with the same result', async () => {
    const text = answer('prepared');
    expect(prepareMarkdown(text)).toBe(true);
    expect(parsed.texts).toHaveLength(3);
    expect(prepareMarkdown(text)).toBe(false);

    const view = await render(<Markdown text={text} />);
    expect(parsed.texts).toHaveLength(3);
    expect(view.container.querySelectorAll('li')).toHaveLength(2);
    expect(view.container.querySelector('.confab-code-block')?.getAttribute('data-language')).toBe(
      'ts',
    );
  });

  it('prepares the markdown of settled answers only', () => {
    const message = (fields: Partial<Message>): Message => ({
      id: 'message',
      threadId: 'thread',
      parentId: null,
      role: 'assistant',
      authorId: null,
      parts: [
        { type: 'reasoning', text: `${fields.id} thought` },
        { type: 'text', text: `${fields.id} said` },
      ],
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      sequence: 0,
      metadata: {},
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      ...fields,
    });
    expect(prepareMessage(message({ id: 'settled' }))).toBe(true);
    expect(isMarkdownBlockRendered('settled thought')).toBe(true);
    expect(isMarkdownBlockRendered('settled said')).toBe(true);
    expect(prepareMessage(message({ id: 'failed', status: 'failed' }))).toBe(true);

    // A streaming answer will change; the user's text is not markdown.
    expect(prepareMessage(message({ id: 'live', status: 'streaming' }))).toBe(false);
    expect(prepareMessage(message({ id: 'mine', role: 'user' }))).toBe(false);
    expect(isMarkdownBlockRendered('live said')).toBe(false);
    expect(isMarkdownBlockRendered('mine said')).toBe(false);
  });

  it('stays bounded: the least recently used blocks are forgotten first', () => {
    // Paragraphs of 500 characters, twice as many as fit.
    const paragraph = (index: number) => `Paragraph ${index} `.padEnd(500, 'x');
    const count = Math.ceil((renderedMarkdownCapacity * 2) / 500);
    prepareMarkdown(paragraph(0));
    for (let index = 1; index < count; index++) {
      prepareMarkdown(paragraph(index));
      // Paragraph 0 is read often, so it stays.
      if (index % 50 === 0) expect(isMarkdownBlockRendered(paragraph(0))).toBe(true);
    }
    expect(isMarkdownBlockRendered(paragraph(0))).toBe(true);
    expect(isMarkdownBlockRendered(paragraph(1))).toBe(false);
    expect(isMarkdownBlockRendered(paragraph(count - 1))).toBe(true);
    const kept = Array.from({ length: count }, (_, index) => index).filter((index) =>
      isMarkdownBlockRendered(paragraph(index)),
    );
    expect(kept.length * 500).toBeLessThanOrEqual(renderedMarkdownCapacity);
    expect(kept.length * 500).toBeGreaterThan(renderedMarkdownCapacity * 0.9);
  });
});
