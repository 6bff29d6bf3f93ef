import { describe, expect, it } from 'vitest';
import { safeImageUrl, safeLinkUrl } from './safe-url';

describe('safeLinkUrl', () => {
  it('keeps absolute http, https and mailto URLs', () => {
    expect(safeLinkUrl('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
    expect(safeLinkUrl('HTTP://Example.com')).toBe('http://example.com/');
    expect(safeLinkUrl('mailto:team@example.com')).toBe('mailto:team@example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    '/relative/path',
    '#fragment',
    '//evil.example/protocol-relative',
    '',
    undefined,
  ])('refuses %j', (value) => {
    expect(safeLinkUrl(value)).toBeUndefined();
  });
});

describe('safeImageUrl', () => {
  it('keeps only http and https', () => {
    expect(safeImageUrl('https://example.com/a.png')).toBe('https://example.com/a.png');
    expect(safeImageUrl('mailto:a@example.com')).toBeUndefined();
    expect(safeImageUrl('data:image/png;base64,AAAA')).toBeUndefined();
  });
});
