import fc from 'fast-check';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { renderGrowingList, splitGrowingList } from './growing-list';
import { renderMarkdownBlock } from './markdown-cache';
import { markdownComponents } from './markdown-elements';

const html = (element: ReactElement) => renderToStaticMarkup(element);
const whole = (text: string) => html(renderMarkdownBlock(text, markdownComponents));

describe('splitGrowingList', () => {
  it('splits a tight list into its items, with the paragraph it interrupts', () => {
    expect(
      splitGrowingList('Steps:\n- one\ncontinued lazily\n- two\n  - nested\n  more of two\n- thr'),
    ).toEqual({
      lead: 'Steps:',
      ordered: false,
      start: 1,
      items: ['- one\ncontinued lazily', '- two\n  - nested\n  more of two', '- thr'],
    });
    expect(splitGrowingList('3. three\n4) other delimiter')).toBeNull();
    expect(splitGrowingList('3. three\n7. seven\n1')).toEqual({
      lead: null,
      ordered: true,
      start: 3,
      items: ['3. three', '7. seven\n1'],
    });
  });

  it('leaves alone what does not parse the same item by item', () => {
    for (const block of [
      'Just a paragraph',
      '- loose\n\n- list',
      '- one\n* another bullet, another list',
      '- one\n---',
      '- one\n* * *',
      'Text\n2. does not interrupt a paragraph',
      'Text\n-',
      '- one\n# heading',
      '- one\n> quote',
      '- one\n```\ncode',
      '- one\n| a | b |',
      '- [ref] one\n[ref]: https://example.com',
      '  - indented first item',
    ]) {
      expect(splitGrowingList(block), block).toBeNull();
    }
  });
});

// Text that lists in answers are made of, markdown inside included.
const word = fc.constantFrom(
  'plain',
  'words',
  '**bold**',
  '_em_',
  '`code`',
  '[link](https://example.com/a)',
  'https://example.org',
  '~~gone~~',
  'a*b',
  '2.',
  '-',
  'x_y',
  '<b>html</b>',
  'line:',
);
const sentence = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));
const marker = fc.oneof(
  fc.constantFrom('-', '*', '+').map((bullet) => () => bullet),
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('.', ')')).map(
    ([start, delimiter]) =>
      (index: number) =>
        `${start + index}${delimiter}`,
  ),
);
const continuation = fc.oneof(
  sentence.map((text) => `lazy ${text}`),
  sentence.map((text) => `  ${text}`),
  sentence.map((text) => `  - nested ${text}`),
  sentence.map((text) => `   1. nested ${text}`),
);
// Nested content indented past any marker's width, as answers indent it.
const nested = fc.oneof(
  sentence.map((text) => `lazy ${text}`),
  sentence.map((text) => `    more ${text}`),
  sentence.map((text) => `    - nested ${text}`),
);
const listOf = (continued: fc.Arbitrary<string>, prefix = '') =>
  fc
    .tuple(
      fc.option(sentence, { nil: undefined }),
      marker,
      fc.array(fc.tuple(sentence, fc.array(continued, { maxLength: 2 })), {
        minLength: 1,
        maxLength: 6,
      }),
    )
    .map(([lead, markerOf, items]) =>
      [
        ...(lead === undefined ? [] : [`Lead ${lead}`]),
        ...items.map(([text, more], index) =>
          [`${markerOf(index)} ${prefix}${text}`, ...more].join('\n'),
        ),
      ].join('\n'),
    );
/** Any mix of lazy lines and indented ones, some indented less than their item's content. */
const list = listOf(continuation);
/** Lists as answers write them. */
const typicalList = listOf(nested, 'item ');

describe('renderGrowingList', () => {
  it('renders every stage of a streaming list as the whole block renders it', () => {
    fc.assert(
      fc.property(list, fc.integer({ min: 1, max: 1_000 }), (text, cut) => {
        // Anywhere the stream may have reached, and at its end.
        for (const stage of [text.slice(0, 1 + (cut % text.length)), text]) {
          const growing = renderGrowingList(stage, markdownComponents, new Map());
          if (growing) expect(html(growing)).toBe(whole(stage));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes the item by item way for the lists answers are made of', () => {
    fc.assert(
      fc.property(typicalList, (text) => {
        // A lead that an ordered list from another number would continue is the exception.
        fc.pre(!/^Lead .*\n(?:[2-9]|1[0-2])[.)]/.test(text));
        expect(renderGrowingList(text, markdownComponents, new Map())).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('parses only the item that changed, reusing the others', () => {
    const pieces = new Map<string, ReactElement>();
    const items = Array.from({ length: 30 }, (_, index) => `- item **${index}** done`);
    renderGrowingList(`Intro:\n${items.join('\n')}\n- last`, markdownComponents, pieces);
    const before = new Map(pieces);
    const next = renderGrowingList(
      `Intro:\n${items.join('\n')}\n- last one`,
      markdownComponents,
      pieces,
    )!;
    // Everything but the last item is the same rendering as before.
    for (const [markdown, element] of before) {
      if (markdown !== '- last') expect(pieces.get(markdown)).toBe(element);
    }
    expect(pieces.has('- last')).toBe(false);
    expect(pieces.has('- last one')).toBe(true);
    expect(html(next)).toBe(whole(`Intro:\n${items.join('\n')}\n- last one`));
  });
});
