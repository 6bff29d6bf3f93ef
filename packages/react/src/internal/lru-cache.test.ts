import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('forgets the least recently used entries once over its capacity', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    // Reading "a" makes "b" the least recently used.
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });

  it('weighs entries, and never keeps one heavier than its whole capacity', () => {
    const cache = new LruCache<string, string>(10);
    cache.set('short', 'x', 3);
    cache.set('medium', 'y', 4);
    cache.set('long', 'z', 5);
    expect(cache.has('short')).toBe(false);
    expect(cache.has('medium')).toBe(true);
    expect(cache.weight).toBe(9);
    cache.set('huge', 'w', 11);
    expect(cache.has('huge')).toBe(false);
    expect([cache.has('medium'), cache.has('long')]).toEqual([true, true]);
  });

  it('replaces an entry set again, counting its weight once', () => {
    const cache = new LruCache<string, number>(10);
    cache.set('a', 1, 6);
    cache.set('a', 2, 7);
    expect(cache.get('a')).toBe(2);
    expect(cache.weight).toBe(7);
    expect(cache.delete('a')).toBe(true);
    expect(cache.weight).toBe(0);
    expect(cache.delete('a')).toBe(false);
  });

  it('stays within its capacity and keeps the newest entry, whatever is stored and read', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat(20), weight: fc.nat(12) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const cache = new LruCache<number, number>(30);
        for (const step of operations) {
          if (step.kind === 'get') {
            cache.get(step.key);
            continue;
          }
          cache.set(step.key, step.weight, step.weight);
          expect(cache.weight).toBeLessThanOrEqual(30);
          expect(cache.get(step.key)).toBe(step.weight);
        }
      }),
    );
  });
});
