// @vitest-environment happy-dom

import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { settle } from '../internal/testing';
import { ChatProvider } from '../provider/chat-provider';
import { LazyMarkdown, loadMarkdown, prepareMessageWhenLoaded } from './lazy-markdown';
import { isMarkdownBlockRendered } from './markdown-cache';
import { fixtureMessage } from './testing/render-thread';

// The renderer's chunk arrives when the test says so, as over a slow network. (The other DOM
// tests render through `mount`, which waits for it first.)
const network = vi.hoisted(() => {
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  return { arrive, arrived };
});
vi.mock('./markdown-renderer', async (importOriginal) => {
  await network.arrived;
  return importOriginal();
});

describe('LazyMarkdown', () => {
  it('shows the text as written until the renderer arrives, then renders it in place', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    const text = '# Title\n\nSome **bold** <b>raw</b>\nnext line\n\n\nLast';
    await act(async () => {
      root.render(
        // Nothing here reaches the server.
        <ChatProvider endpoint="/api/chat">
          <LazyMarkdown className="confab-markdown" data-part="text" text={text} />
        </ChatProvider>,
      );
    });
    await settle();

    const markdown = container.querySelector<HTMLElement>('[data-part="text"]')!;
    expect(markdown.className).toBe('confab-markdown');
    // Nothing parsed, nothing raw rendered: one paragraph per block, line breaks kept.
    expect(markdown.querySelector('h1, strong, b')).toBeNull();
    const paragraphs = [...markdown.querySelectorAll<HTMLElement>('[data-markdown-block] > p')];
    expect(paragraphs.map((paragraph) => paragraph.textContent)).toEqual([
      '# Title',
      'Some **bold** <b>raw</b>\nnext line',
      'Last',
    ]);
    expect(paragraphs[0]!.style.whiteSpace).toBe('pre-wrap');
    // Preparing a message ahead fetches the renderer, and does nothing until it is there.
    const answer = fixtureMessage({ role: 'assistant', text: '## Ahead' });
    expect(prepareMessageWhenLoaded(answer)).toBe(false);

    network.arrive();
    await act(async () => {
      await loadMarkdown();
    });
    const rendered = container.querySelector<HTMLElement>('[data-part="text"]')!;
    expect(rendered.className).toBe('confab-markdown');
    expect(rendered.querySelector('h1')?.textContent).toBe('Title');
    expect(rendered.querySelector('strong')?.textContent).toBe('bold');
    // Raw HTML is still text.
    expect(rendered.querySelector('b')).toBeNull();
    expect(rendered.textContent).toContain('<b>raw</b>');

    expect(prepareMessageWhenLoaded(answer)).toBe(true);
    expect(isMarkdownBlockRendered('## Ahead')).toBe(true);

    act(() => root.unmount());
    container.remove();
  });
});
