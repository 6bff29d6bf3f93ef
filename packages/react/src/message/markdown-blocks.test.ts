import { describe, expect, it } from 'vitest';
import { splitMarkdownBlocks } from './markdown-blocks';

describe('splitMarkdownBlocks', () => {
  it('splits paragraphs, headings and lists at blank lines', () => {
    expect(
      splitMarkdownBlocks('# Title\n\nFirst paragraph\nstill first.\n\n- a\n- b\n\nEnd'),
    ).toEqual(['# Title', 'First paragraph\nstill first.', '- a\n- b', 'End']);
  });

  it('never splits inside fenced code, even across blank lines', () => {
    const code = '```python\ndef f():\n\n    return 1\n\n\n```';
    expect(splitMarkdownBlocks(`Intro\n\n${code}\n\nAfter`)).toEqual(['Intro', code, 'After']);
    const tildes = '~~~~\n```\n\nnot a fence end\n~~~~';
    expect(splitMarkdownBlocks(`${tildes}\n\nAfter`)).toEqual([tildes, 'After']);
  });

  it('keeps a fence that is still streaming open in the last block', () => {
    expect(splitMarkdownBlocks('Intro\n\n```js\nconst a = 1;\n\nconst b')).toEqual([
      'Intro',
      '```js\nconst a = 1;\n\nconst b',
    ]);
  });

  it('keeps a loose list together, and list items with indented paragraphs', () => {
    const list = '1. First\n\n2. Second\n\n   more about the second\n\n       indented code';
    expect(splitMarkdownBlocks(`${list}\n\nAfter`)).toEqual([list, 'After']);
  });

  it('keeps text with link definitions or footnotes whole: their uses may be in any block', () => {
    const text =
      'See [the docs][docs] and a note[^1].\n\nMore.\n\n[docs]: https://example.com\n[^1]: A note.';
    expect(splitMarkdownBlocks(text)).toEqual([text]);
  });

  it('ignores leading and trailing blank lines and treats CRLF like LF', () => {
    expect(splitMarkdownBlocks('\n\nOne\r\n\r\nTwo\n\n')).toEqual(['One', 'Two']);
    expect(splitMarkdownBlocks('')).toEqual([]);
  });

  it('a block once complete keeps its text as more streams in', () => {
    const answer =
      'Para one.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```ts\nlet x = 1;\n```\n\nDone.';
    const finished = splitMarkdownBlocks(answer);
    for (let length = 1; length <= answer.length; length++) {
      const blocks = splitMarkdownBlocks(answer.slice(0, length));
      // Every block but the last is already final.
      expect(blocks.slice(0, -1)).toEqual(finished.slice(0, blocks.length - 1));
    }
  });
});
