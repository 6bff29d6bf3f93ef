import { isStorableText } from '@confab/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorableDeltas, storableText } from './storable-text';

const grinning = '\uD83D\uDE00'; // 😀, one surrogate pair

/** Strings of any UTF-16 code units, rich in surrogates (paired or not) and NUL. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\uD83D', '\uDE00', '\uDBFF', '\uDC00', '\u0000', 'a'),
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  ),
});

describe('storableText', () => {
  it('keeps well-formed text as it is, surrogate pairs included', () => {
    for (const text of ['', 'plain', 'ünïcödé', `${grinning} 👩‍👩‍👧`, 'tab\tnew\nline']) {
      expect(storableText(text)).toBe(text);
    }
  });

  it('replaces NUL and unpaired surrogates with U+FFFD, one for one', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('\uD800')).toBe('\uFFFD');
    expect(storableText('x\uDC00y')).toBe('x\uFFFDy');
    expect(storableText(`${grinning}\uDE00`)).toBe(`${grinning}\uFFFD`);
    expect(storableText('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
    expect(storableText('\uD800\uD800\uDC00')).toBe('\uFFFD\uD800\uDC00');
  });

  it('always returns text every store can hold, of the same length', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = storableText(text);
        expect(isStorableText(result)).toBe(true);
        expect(result).toHaveLength(text.length);
        if (isStorableText(text)) expect(result).toBe(text);
      }),
    );
  });
});

describe('StorableDeltas', () => {
  it('keeps a surrogate pair split between two deltas', () => {
    const deltas = new StorableDeltas();
    const first = deltas.push(`Hi ${grinning[0]}`);
    expect(first).toBe('Hi ');
    expect(deltas.push(`${grinning[1]}!`)).toBe(`${grinning}!`);
    expect(deltas.end()).toBe('');
  });

  it('replaces a held high surrogate that no low one follows', () => {
    const deltas = new StorableDeltas();
    expect(deltas.push('a\uD83D')).toBe('a');
    expect(deltas.push('b')).toBe('\uFFFDb');
    expect(deltas.push('\uD83D')).toBe('');
    expect(deltas.end()).toBe('\uFFFD');
  });

  it('gives storableText of the whole text for any split into deltas', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort(
          (a, b) => a - b,
        );
        const deltas = new StorableDeltas();
        let start = 0;
        let output = '';
        for (const point of [...points, text.length]) {
          output += deltas.push(text.slice(start, point));
          start = point;
        }
        output += deltas.end();
        expect(output).toBe(storableText(text));
      }),
    );
  });
});
