import { describe, expect, it } from 'vitest';
import type { Part } from '../schemas/part';
import { applyPartChunk, growParts } from './apply-chunk';

describe('applyPartChunk', () => {
  it('streams each delta into the part it names, leaving the parts given as they were', () => {
    let parts: Part[] = [];
    const empty = parts;
    parts = applyPartChunk(parts, { type: 'reasoning-start', messageId: 'a', id: '0' });
    parts = applyPartChunk(parts, { type: 'reasoning-delta', id: '0', delta: 'Think' });
    parts = applyPartChunk(parts, { type: 'reasoning-end', id: '0' });
    parts = applyPartChunk(parts, { type: 'text-start', messageId: 'a', id: '1' });
    parts = applyPartChunk(parts, { type: 'text-delta', id: '1', delta: 'Hi' });
    parts = applyPartChunk(parts, { type: 'text-delta', id: '1', delta: '!' });
    expect(parts).toEqual([
      { type: 'reasoning', text: 'Think' },
      { type: 'text', text: 'Hi!' },
    ]);
    expect(empty).toEqual([]);
  });

  it('keeps the same parts when the part a delta names does not exist', () => {
    const parts: Part[] = [{ type: 'text', text: 'a' }];
    expect(applyPartChunk(parts, { type: 'text-delta', id: '3', delta: 'x' })).toBe(parts);
    expect(applyPartChunk(parts, { type: 'reasoning-delta', id: '0', delta: 'x' })).toBe(parts);
  });

  it('starts a part once: a start for a part a snapshot already has changes nothing', () => {
    const parts = [{ type: 'text' as const, text: 'Hel' }];
    expect(applyPartChunk(parts, { type: 'text-start', messageId: 'a', id: '0' })).toBe(parts);
    expect(applyPartChunk(parts, { type: 'text-delta', id: '0', delta: 'lo' })).toEqual([
      { type: 'text', text: 'Hello' },
    ]);
    expect(parts).toEqual([{ type: 'text', text: 'Hel' }]);
  });

  it('grows parts in place by the same rules, saying whether they changed', () => {
    const parts: Part[] = [{ type: 'reasoning', text: 'Hm' }];
    const reasoning = parts[0];
    expect(growParts(parts, { type: 'reasoning-start', messageId: 'a', id: '0' })).toBe(false);
    expect(growParts(parts, { type: 'reasoning-delta', id: '0', delta: 'm' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '0', delta: 'x' })).toBe(false);
    expect(growParts(parts, { type: 'text-start', messageId: 'a', id: '1' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '1', delta: 'Hi' })).toBe(true);
    expect(growParts(parts, { type: 'text-delta', id: '5', delta: 'lost' })).toBe(false);
    expect(growParts(parts, { type: 'text-end', id: '1' })).toBe(false);
    expect(parts).toEqual([
      { type: 'reasoning', text: 'Hmm' },
      { type: 'text', text: 'Hi' },
    ]);
    expect(parts[0]).toBe(reasoning);
  });
});
