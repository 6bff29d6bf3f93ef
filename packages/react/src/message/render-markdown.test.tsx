import type { ComponentPropsWithoutRef } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { decodeEntities } from './decode-entities';
import { type MarkdownComponents, renderMarkdown } from './render-markdown';

const html = (text: string, components: MarkdownComponents = {}) =>
  renderToStaticMarkup(renderMarkdown(text, components));

describe('renderMarkdown', () => {
  it('renders GFM: tables with their alignment, task lists, strikethrough and autolinks', () => {
    expect(html('| a | b |\n| :- | -: |\n| 1 | 2 |')).toBe(
      '<table><thead><tr><th style="text-align:left">a</th><th style="text-align:right">b</th></tr></thead>' +
        '<tbody><tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr></tbody></table>',
    );
    expect(html('- [x] done\n- [ ] next')).toBe(
      '<ul><li><label><input type="checkbox" disabled="" readOnly="" checked=""/> done</label></li>' +
        '<li><label><input type="checkbox" disabled="" readOnly=""/> next</label></li></ul>',
    );
    expect(html('~~gone~~ and www.example.com')).toBe(
      '<p><del>gone</del> and <a href="http://www.example.com/">www.example.com</a></p>',
    );
  });

  it('keeps an ordered list’s first number, and a loose list’s paragraphs', () => {
    expect(html('3. three\n4. four')).toBe('<ol start="3"><li>three</li><li>four</li></ol>');
    expect(html('- one\n\n- two')).toBe('<ul><li><p>one</p></li><li><p>two</p></li></ul>');
    expect(html('- [x] one\n\n  more\n- [ ] two')).toBe(
      '<ul><li><p><label><input type="checkbox" disabled="" readOnly="" checked=""/> one</label></p><p>more</p></li>' +
        '<li><p><label><input type="checkbox" disabled="" readOnly=""/> two</label></p></li></ul>',
    );
  });

  it('decodes character references in text and links, and leaves those in code alone', () => {
    expect(html('Tom &amp; Jerry &copy; &#x263A; &#9731; &unknown; `&amp;`')).toBe(
      '<p>Tom &amp; Jerry © ☺ ☃ &amp;unknown; <code>&amp;amp;</code></p>',
    );
    expect(html('[q](https://example.com/?a=1&amp;b=2)')).toBe(
      '<p><a href="https://example.com/?a=1&amp;b=2">q</a></p>',
    );
  });

  it('ends a code block with a line break and names its language by the first word', () => {
    expect(html('```ts title="x.ts"\nlet a = 1;\n```')).toBe(
      '<pre><code class="language-ts">let a = 1;\n</code></pre>',
    );
    expect(html('    indented')).toBe('<pre><code>indented\n</code></pre>');
  });

  it('shows raw HTML, block or inline, as text', () => {
    expect(html('<div onclick="x()">\n\nHi <b>there</b>')).toBe(
      '<p>&lt;div onclick=&quot;x()&quot;&gt;</p><p>Hi &lt;b&gt;there&lt;/b&gt;</p>',
    );
  });

  it('hands components URLs already judged: an unsafe one is left out', () => {
    const seen: (string | undefined)[] = [];
    const a = ({ href, children }: ComponentPropsWithoutRef<'a'>) => {
      seen.push(href);
      return <span>{children}</span>;
    };
    const img = ({ src }: ComponentPropsWithoutRef<'img'>) => {
      seen.push(typeof src === 'string' ? src : undefined);
      return null;
    };
    html('[a](javascript:alert(1)) [b](https://example.com) ![c](data:image/png;base64,AA)', {
      a,
      img,
    });
    expect(seen).toEqual([undefined, 'https://example.com/', undefined]);
  });

  it('shows a footnote reference as its number and a one-word note as a paragraph', () => {
    expect(html('Fact[^1]\n\n[^1]: Source')).toBe(
      '<p>Fact<sup>1</sup></p><p><sup>1</sup> Source</p>',
    );
  });
});

describe('decodeEntities', () => {
  it('decodes numeric references, and refuses the code points CommonMark refuses', () => {
    expect(decodeEntities('&#65;&#x42;&#0;&#xD800;&#1114112;')).toBe('AB\uFFFD\uFFFD\uFFFD');
    expect(decodeEntities('no references')).toBe('no references');
  });
});
