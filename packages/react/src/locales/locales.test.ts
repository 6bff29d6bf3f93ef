import { describe, expect, it } from 'vitest';
import { defaultLabels } from '../provider/labels';
import { lastActivityIn } from '../provider/last-activity';
import { labels as de } from './de';
import { labels as en } from './en';
import { labels as es } from './es';
import { labels as fr } from './fr';
import { labels as ja } from './ja';
import { labels as zhCN } from './zh-CN';

const packs = { en, fr, de, es, ja, 'zh-CN': zhCN };

describe('locale packs', () => {
  it.each(Object.entries(packs))('%s says every label, in its own words', (locale, labels) => {
    expect(Object.keys(labels).sort()).toEqual(Object.keys(defaultLabels).sort());
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
      if (Array.isArray(value)) expect(value.length, key).toBeGreaterThan(0);
    }
    expect(labels.threadActions('Trip')).toContain('Trip');
    expect(labels.deleteConfirm('Trip')).toContain('Trip');
    expect(labels.imageLink('a cat')).toContain('a cat');
    expect(labels.imageLink('')).not.toBe('');
    expect(labels.versionOf(2, 3)).toMatch(/2\D+3/);
    if (locale !== 'en') {
      // Translated, not English left in place (a few words are the same in both: "Chat").
      const same = Object.entries(labels).filter(
        ([key, value]) =>
          typeof value === 'string' && value === defaultLabels[key as keyof typeof defaultLabels],
      );
      expect(same.length, same.map(([key]) => key).join(', ')).toBeLessThanOrEqual(4);
    }
  });
});

describe('lastActivityIn', () => {
  // A Wednesday afternoon.
  const now = new Date(2026, 2, 11, 15, 30);
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const cases = {
    now: ago(0.5),
    minutes: ago(5),
    hours: ago(3 * 60),
    yesterday: new Date(2026, 2, 10, 9, 0),
    weekday: new Date(2026, 2, 7, 9, 0),
    date: new Date(2026, 1, 3, 9, 0),
    otherYear: new Date(2025, 11, 24, 9, 0),
  };
  // Compared with plain spaces: locales put no-break spaces between a number and its unit.
  const say = (locale: string) =>
    Object.values(cases).map((at) =>
      lastActivityIn(locale)(at, now).replace(/[\u00a0\u202f]/g, ' '),
    );

  it('writes times as each language does, standing alone', () => {
    expect(say('en')).toEqual([
      'Now',
      '5 min. ago',
      '3 hr. ago',
      'Yesterday',
      'Saturday',
      'Feb 3',
      'Dec 24, 2025',
    ]);
    expect(say('fr')).toEqual([
      'Maintenant',
      'Il y a 5 min',
      'Il y a 3 h',
      'Hier',
      'Samedi',
      '3 févr.',
      '24 déc. 2025',
    ]);
    expect(say('de')[1]).toBe('Vor 5 Min.');
    expect(say('ja').slice(0, 4)).toEqual(['今', '5 分前', '3 時間前', '昨日']);
    expect(say('zh-CN').slice(0, 4)).toEqual(['现在', '5分钟前', '3小时前', '昨天']);
  });
});
