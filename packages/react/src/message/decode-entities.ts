/**
 * Text with its character references decoded: numeric ones (`&#39;`, `&#x27;`) all, named ones
 * for the characters answers use (`&amp;`, `&nbsp;`, `&copy;`, arrows, dashes, quotes). The full
 * HTML table has over 2,000 names and would weigh more than the markdown parser; a name not
 * listed stays as written. marked's lexer leaves references in its tokens, for its HTML renderer.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(referencePattern, (reference, hex, decimal, name) => {
    if (name !== undefined) return namedCharacters[name] ?? reference;
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    // CommonMark: code point 0 and those beyond Unicode or in the surrogate range are U+FFFD.
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(code);
  });
}

const referencePattern = /&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

const namedCharacters: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  shy: '\u00AD',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  micro: 'µ',
  middot: '·',
  sect: '§',
  para: '¶',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  lArr: '⇐',
  rArr: '⇒',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  infin: '∞',
  check: '✓',
};
