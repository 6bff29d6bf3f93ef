import { describe, expect, it } from 'vitest';
import { maxMetadataDepth, maxMetadataLength, metadataInputSchema } from './metadata';
import { createThreadBodySchema, sendMessageBodySchema } from './requests';
import { isStorableText } from './text';

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

describe('isStorableText', () => {
  it('accepts any well-formed text, surrogate pairs included', () => {
    for (const text of ['', 'plain', 'ünïcödé', '👩‍👩‍👧 🎉', '\uD83D\uDE00', 'tab\tnew\nline']) {
      expect(isStorableText(text)).toBe(true);
    }
  });

  it('refuses NUL and surrogates without their partner, wherever they are', () => {
    for (const text of [
      '\u0000',
      'a\u0000b',
      '\uD800',
      'a\uD800',
      '\uD800b',
      '\uDC00',
      'a\uDC00',
    ]) {
      expect(isStorableText(text)).toBe(false);
    }
    // A low surrogate after a complete pair has no partner of its own.
    expect(isStorableText('\uD83D\uDE00\uDE00')).toBe(false);
    expect(isStorableText('\uDE00\uD83D')).toBe(false);
  });
});

describe('metadataInputSchema', () => {
  it('accepts JSON up to the depth limit', () => {
    const value = nested(maxMetadataDepth - 1, (inner) => ({ a: inner }));
    expect(metadataInputSchema.parse({ a: value })).toEqual({ a: value });
  });

  it('refuses objects and arrays nested thousands deep without overflowing the stack', () => {
    for (const deep of [
      nested(5000, (inner) => ({ a: inner })),
      { list: nested(5000, (inner) => [inner]) },
      JSON.parse(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    ]) {
      const result = metadataInputSchema.safeParse(deep);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/at most 32 levels/);
      expect(result.error?.issues[0]?.path.length).toBeLessThanOrEqual(maxMetadataDepth + 1);
    }
  });

  it('refuses metadata larger than the size limit', () => {
    const result = metadataInputSchema.safeParse({ big: 'x'.repeat(maxMetadataLength) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([]);
  });

  it('points at the nested key or value a store cannot hold', () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ a: { b: ['ok', 'no\u0000'] } }, ['a', 'b', 1]],
      [{ a: { 'key\u0000': 1 } }, ['a', 'key\u0000']],
      [{ lone: '\uD800' }, ['lone']],
      [{ infinite: JSON.parse('1e400') }, ['infinite']],
    ];
    for (const [value, path] of cases) {
      const result = metadataInputSchema.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
    }
    expect(metadataInputSchema.safeParse([]).success).toBe(false);
    expect(metadataInputSchema.safeParse({ when: new Date() }).success).toBe(false);
  });

  it('guards every body that carries metadata, at the path of the field', () => {
    const deep = nested(5000, (inner) => ({ a: inner }));
    const thread = createThreadBodySchema.safeParse({ metadata: deep });
    expect(thread.error?.issues[0]?.path.slice(0, 2)).toEqual(['metadata', 'a']);
    const send = sendMessageBodySchema.safeParse({ text: 'hi', metadata: { x: '\u0000' } });
    expect(send.error?.issues.map((issue) => issue.path)).toContainEqual(['metadata', 'x']);
  });
});

describe('request bodies', () => {
  it('refuse unstorable titles, texts and file parts with the path of the field', () => {
    const cases: [ReturnType<typeof sendMessageBodySchema.safeParse>, (string | number)[]][] = [
      [sendMessageBodySchema.safeParse({ text: 'a\u0000' }), ['text']],
      [
        sendMessageBodySchema.safeParse({ parts: [{ type: 'text', text: '\uDFFF' }] }),
        ['parts', 0, 'text'],
      ],
      [
        sendMessageBodySchema.safeParse({
          parts: [{ type: 'file', mediaType: 'image/png', url: 'data:\u0000', filename: 'a.png' }],
        }),
        ['parts', 0, 'url'],
      ],
      [
        sendMessageBodySchema.safeParse({
          parts: [
            { type: 'file', mediaType: 'image/png', url: 'https://x/a', filename: '\uD800.png' },
          ],
        }),
        ['parts', 0, 'filename'],
      ],
    ];
    for (const [result, path] of cases) {
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
    }
    const title = createThreadBodySchema.safeParse({ title: 'x\uD800' });
    expect(title.error?.issues.map((issue) => issue.path)).toContainEqual(['title']);
    expect(createThreadBodySchema.parse({ title: ' 😀 ' }).title).toBe('😀');
  });
});
