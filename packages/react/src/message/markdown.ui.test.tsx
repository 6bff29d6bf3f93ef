// @vitest-environment happy-dom

import elixir from 'highlight.js/lib/languages/elixir';
import { act, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, settle, waitFor } from '../internal/testing';
import { registerCodeLanguage } from './highlight-code';
import { Markdown } from './markdown';
import type { MarkdownComponents } from './render-markdown';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function render(element: ReactNode) {
  const { container, rerender, unmount } = await mount(element);
  cleanups.push(unmount);
  return { container, rerender };
}

function stubClipboard() {
  const writeText = vi.fn(async (_text: string) => {});
  vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
  return writeText;
}

describe('Markdown', () => {
  it('renders headings, emphasis, lists, tables, quotes and inline code', async () => {
    const { container } = await render(
      <Markdown
        text={[
          '## Plan',
          '',
          'Some **bold**, *italic*, ~~gone~~ and `inline code`.',
          '',
          '- one',
          '- two',
          '',
          '1. first',
          '2. second',
          '',
          '- [x] done',
          '',
          '> quoted',
          '',
          '| Name | Size |',
          '| ---- | ---: |',
          '| a    | 1    |',
        ].join('\n')}
      />,
    );
    expect(container.querySelector('h2')?.textContent).toBe('Plan');
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('em')?.textContent).toBe('italic');
    expect(container.querySelector('del')?.textContent).toBe('gone');
    expect(container.querySelector('p > code')?.textContent).toBe('inline code');
    expect([...container.querySelectorAll('ul li')].map((item) => item.textContent)).toEqual([
      'one',
      'two',
      ' done',
    ]);
    expect(container.querySelectorAll('ol li')).toHaveLength(2);
    expect(container.querySelector('input[type="checkbox"]')?.hasAttribute('disabled')).toBe(true);
    expect(container.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    const scroller = container.querySelector('.confab-markdown__table-scroll');
    expect(scroller?.querySelector('table th')?.textContent).toBe('Name');
    expect(scroller?.querySelector('tbody td')?.textContent).toBe('a');
    // The wide-table scroller can be scrolled from the keyboard.
    expect(scroller?.getAttribute('tabindex')).toBe('0');
  });

  it('highlights fenced code in a named language, with its label', async () => {
    const { container } = await render(
      <Markdown text={'```ts\nconst answer: number = 42; // the answer\n```'} />,
    );
    const block = container.querySelector('.confab-code-block')!;
    expect(block.getAttribute('data-language')).toBe('ts');
    expect(block.querySelector('.confab-code-block__language')?.textContent).toBe('ts');
    const code = () => block.querySelector('pre > code')!;
    // The highlighter is fetched with the first code block; the code shows meanwhile.
    expect(code().textContent).toBe('const answer: number = 42; // the answer\n');
    await waitFor(() => expect(code().classList.contains('hljs')).toBe(true));
    expect(code().querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(code().querySelector('.hljs-number')?.textContent).toBe('42');
    expect(code().querySelector('.hljs-comment')?.textContent).toBe('// the answer');
    expect(code().textContent).toBe('const answer: number = 42; // the answer\n');
    // JavaScript goes by the same grammar.
    const js = await render(<Markdown text={'```js\nlet total = 0;\n```'} />);
    await waitFor(() =>
      expect(js.container.querySelector('.hljs-keyword')?.textContent).toBe('let'),
    );
  });

  it('does not guess the language of unlabelled code, and leaves unknown languages plain', async () => {
    const { container } = await render(
      <Markdown text={'```\nconst x = 1;\n```\n\n```brainfuck\n+++.\n```'} />,
    );
    const [plain, unknown] = container.querySelectorAll('pre > code');
    expect(plain!.querySelector('span')).toBeNull();
    expect(container.querySelectorAll('.confab-code-block')[0]!.hasAttribute('data-language')).toBe(
      false,
    );
    expect(unknown!.querySelector('span')).toBeNull();
    expect(unknown!.textContent).toBe('+++.\n');
  });

  it('highlights a language the host app registered, in blocks already shown too', async () => {
    const source = '```elixir\ndefmodule Greeter do\nend\n```';
    const view = await render(<Markdown text={source} />);
    expect(view.container.querySelector('pre > code span')).toBeNull();
    await act(async () => registerCodeLanguage('elixir', elixir));
    await waitFor(() =>
      expect(view.container.querySelector('pre > code .hljs-keyword')?.textContent).toBe(
        'defmodule',
      ),
    );
    expect(view.container.querySelector('pre > code')?.textContent).toBe(
      'defmodule Greeter do\nend\n',
    );
  });

  it('fetches the grammar of a language outside the first load, then highlights with it', async () => {
    // `rs` is an alias of Rust, a grammar loaded on demand (no other test names it).
    const view = await render(<Markdown text={'```rs\nfn main() { let x = 1; }\n```'} />);
    const code = () => view.container.querySelector('pre > code')!;
    expect(code().textContent).toBe('fn main() { let x = 1; }\n');
    await waitFor(() => expect(code().querySelector('.hljs-keyword')).not.toBeNull());
    expect([...code().querySelectorAll('.hljs-keyword')].map((span) => span.textContent)).toEqual([
      'fn',
      'let',
    ]);
    expect(code().classList.contains('hljs')).toBe(true);
    expect(code().textContent).toBe('fn main() { let x = 1; }\n');
    // Rendered again (another answer), it highlights at once.
    const again = await render(<Markdown text={'```rust\nlet y = 2;\n```'} />);
    expect(again.container.querySelector('pre > code .hljs-keyword')?.textContent).toBe('let');
  });

  it('copies a code block as written and says "Copied" for two seconds', async () => {
    const writeText = stubClipboard();
    const { container } = await render(
      <Markdown text={'```python\nprint("hi")\n\nprint("bye")\n```'} />,
    );
    vi.useFakeTimers();
    const button = container.querySelector<HTMLButtonElement>('.confab-code-block__copy')!;
    expect(button.textContent).toBe('Copy code');
    await act(async () => button.click());
    expect(writeText).toHaveBeenCalledWith('print("hi")\n\nprint("bye")');
    expect(button.textContent).toBe('Copied');
    expect(button.hasAttribute('data-copied')).toBe(true);
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Copied');
    await act(async () => vi.advanceTimersByTime(1_900));
    expect(button.textContent).toBe('Copied');
    await act(async () => vi.advanceTimersByTime(200));
    expect(button.textContent).toBe('Copy code');
    expect(container.querySelector('[role="status"]')?.textContent).toBe('');
  });

  it('keeps working when the clipboard is unavailable or refuses', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined });
    const { container } = await render(<Markdown text={'```\ncode\n```'} />);
    const button = container.querySelector<HTMLButtonElement>('.confab-code-block__copy')!;
    await act(async () => button.click());
    expect(button.textContent).toBe('Copy code');

    const writeText = vi.fn(async () => {
      throw new DOMException('Denied', 'NotAllowedError');
    });
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    await act(async () => button.click());
    expect(writeText).toHaveBeenCalled();
    expect(button.textContent).toBe('Copy code');
  });

  it('opens safe links in a new tab without opener, referrer or endorsement', async () => {
    const { container } = await render(
      <Markdown text="[docs](https://example.com/docs), <https://example.org> and mail@example.com" />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/docs',
      'https://example.org/',
      'mailto:mail@example.com',
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });

  it('shows links with other schemes, and relative links, as plain text', async () => {
    const { container } = await render(
      <Markdown text="[one](javascript:alert(1)) [two](/settings) [three](ftp://example.com/file)" />,
    );
    expect(container.querySelector('a')).toBeNull();
    expect(container.textContent).toContain('one two three');
  });

  it('never loads an image: it becomes a link to open it', async () => {
    const { container } = await render(
      <Markdown text="![A chart](https://tracker.example/pixel.png) ![local](/me.png)" />,
    );
    expect(container.querySelector('img')).toBeNull();
    const link = container.querySelector('a.confab-markdown__image-link');
    expect(link?.getAttribute('href')).toBe('https://tracker.example/pixel.png');
    expect(link?.textContent).toBe('Image: A chart');
    expect(container.textContent).toContain('Image: local');
  });

  it('shows raw HTML as text instead of rendering it', async () => {
    const { container } = await render(
      <Markdown
        text={'Before <b onclick="x()">bold</b> after\n\n<div>\n\n<script>alert(1)</script>'}
      />,
    );
    const markdown = container.firstElementChild!;
    expect(markdown.querySelector('b, div:not([data-markdown-block]), script')).toBeNull();
    expect(container.textContent).toContain('<b onclick="x()">bold</b>');
    expect(container.textContent).toContain('<script>alert(1)</script>');
  });

  it('re-renders only the last block when streamed text grows', async () => {
    const renders = new Map<string, number>();
    const countingParagraph = (props: ComponentPropsWithoutRef<'p'>) => {
      const text = String(props.children);
      renders.set(text, (renders.get(text) ?? 0) + 1);
      return <p {...props} />;
    };
    const components: MarkdownComponents = { p: countingParagraph };
    const first = 'First paragraph.\n\nSecond';
    const view = await render(<Markdown text={first} components={components} />);
    await view.rerender(<Markdown text={`${first} paragraph`} components={components} />);
    await view.rerender(<Markdown text={`${first} paragraph.\n\nThird`} components={components} />);
    await settle(0);
    expect(renders.get('First paragraph.')).toBe(1);
    expect(renders.get('Second')).toBe(1);
    expect(renders.get('Second paragraph')).toBe(1);
    expect(renders.get('Second paragraph.')).toBe(1);
    expect(renders.get('Third')).toBe(1);
    expect(view.container.querySelectorAll('p')).toHaveLength(3);
  });

  describe('while it streams', () => {
    /** The HTML of the text streaming, and of the text once its syntax closed and it settled. */
    async function streamedAndSettled(streamed: string, closed: string) {
      const view = await render(<Markdown text={streamed} streaming />);
      const whileStreaming = view.container.innerHTML;
      await view.rerender(<Markdown text={closed} />);
      return { whileStreaming, settled: view.container.innerHTML };
    }

    it.each([
      ['emphasis', 'You wrote: _Hello!', 'You wrote: _Hello!_', 'em'],
      ['strong', 'This is **important', 'This is **important**', 'strong'],
      ['inline code', 'Run `npm test', 'Run `npm test`', 'code'],
      ['strikethrough', 'It is ~~gone', 'It is ~~gone~~', 'del'],
      ['a list item', '- one\n- **two', '- one\n- **two**', 'strong'],
    ])(
      'shows unclosed %s as it will look, with no raw syntax and no jump when it closes',
      async (_, streamed, closed, tag) => {
        const { whileStreaming, settled } = await streamedAndSettled(streamed, closed);
        expect(whileStreaming).toContain(`<${tag}`);
        expect(whileStreaming).not.toMatch(/[_*`~]{1,2}(?!\w*>)/);
        expect(whileStreaming).toBe(settled);
      },
    );

    it('shows an unfinished link as its text until its URL is whole', async () => {
      const view = await render(
        <Markdown text="See [the docs](https://example.com/do" streaming />,
      );
      expect(view.container.querySelector('a')).toBeNull();
      expect(view.container.textContent).toBe('See the docs');
      await view.rerender(<Markdown text="See [the docs](https://example.com/docs)" streaming />);
      expect(view.container.querySelector('a')?.getAttribute('href')).toBe(
        'https://example.com/docs',
      );
    });

    it('keeps an unclosed code fence a code block, and leaves the markers inside it alone', async () => {
      const view = await render(<Markdown text={'```js\nconst a = "**not bold'} streaming />);
      expect(view.container.querySelector('pre code')?.textContent).toBe('const a = "**not bold\n');
      expect(view.container.querySelector('strong')).toBeNull();
    });

    it.each([
      ['a header row alone', '| Name | Age |', '| Name | Age |\n| --- | --- |'],
      ['a header row still arriving', '| Name | Ag', '| Name | Ag |\n| --- | --- |'],
      [
        'a delimiter row short of cells',
        '| Name | Age |\n| --- |',
        '| Name | Age |\n| --- | --- |',
      ],
      [
        'the alignments written so far',
        '| Name | Age |\n| :-: | :',
        '| Name | Age |\n| :-: | --- |',
      ],
      [
        'a body row still arriving',
        '| Name | Age |\n| --- | --- |\n| Ada | 3',
        '| Name | Age |\n| --- | --- |\n| Ada | 3 |',
      ],
    ])('shows a table from its header row on: %s', async (_, streamed, closed) => {
      const { whileStreaming, settled } = await streamedAndSettled(streamed, closed);
      expect(whileStreaming).toContain('<table');
      expect(whileStreaming).not.toContain('|');
      expect(whileStreaming).toBe(settled);
    });

    it('leaves a line with a pipe that does not start with one a paragraph', async () => {
      const view = await render(<Markdown text="Use a | b" streaming />);
      expect(view.container.querySelector('table')).toBeNull();
      expect(view.container.textContent).toBe('Use a | b');
    });

    it('leaves pipes inside an unclosed code fence alone', async () => {
      const view = await render(<Markdown text={'```\n| Name | Age |'} streaming />);
      expect(view.container.querySelector('table')).toBeNull();
      expect(view.container.querySelector('pre code')?.textContent).toBe('| Name | Age |\n');
    });

    it('renders settled text as written: a marker the model never closed stays', async () => {
      const view = await render(<Markdown text="Costs 5 * 3 and _maybe" />);
      expect(view.container.textContent).toBe('Costs 5 * 3 and _maybe');
      expect(view.container.querySelector('em')).toBeNull();
    });
  });
});
