import remend, { type RemendOptions } from 'remend';
import { leavesFenceOpen } from './markdown-blocks';

/**
 * What the streaming end of an answer shows: its syntax that is not closed yet, closed, so
 * `You wrote: _Hello` shows as emphasis at once instead of a literal `_` that turns into emphasis
 * when the closing one arrives (a flicker of raw syntax, and a reflow). Done by remend, the
 * maintained completer of streaming markdown; it only appends to the end and leaves code alone.
 * A table whose header row has come but not its delimiter row gets the delimiter row
 * (`closeStreamingTable`), which remend does not do.
 *
 * An unfinished link shows as its text until its URL is whole (never as a link to half a URL); an
 * unfinished image shows as its text too (the link policy refuses remend's placeholder URL).
 * Math is not rendered here, so `$` stays as written.
 */
export function closeStreamingMarkdown(text: string): string {
  return closeStreamingTable(remend(text, options));
}

const options: RemendOptions = { linkMode: 'text-only', katex: false, inlineKatex: false };

/**
 * A table streams in row by row, and until its second line (the delimiter row, `| --- | --- |`)
 * is whole its header is not a table but a paragraph of pipes, which then jumps into a table.
 * So when the text ends with a header row (a line that starts with `|`) and at most a partial
 * delimiter row, the delimiter row it will have is put in its place: one cell per header cell,
 * the alignments already written kept. Rows after a whole delimiter row need nothing: a row
 * that is still arriving is a row with fewer cells.
 *
 * A header without a leading pipe (`Name | Age`) is left as it is: while it streams it cannot be
 * told from a sentence with a pipe in it.
 */
export function closeStreamingTable(text: string): string {
  // Most streaming text has no table: no lines to split on every render.
  if (!text.includes('|')) return text;
  const lines = text.split('\n');
  const end = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  let start = end;
  while (start > 0 && tableRowPattern.test(lines[start - 1]!)) start--;
  const rows = end - start;
  if (rows === 0 || rows > 2 || leavesFenceOpen(lines.slice(0, start))) return text;
  const columns = cells(lines[start]!).length;
  const written = rows === 2 ? lines[start + 1]! : '';
  if (rows === 2 && !partialDelimiterPattern.test(written)) return text;
  const typed = rows === 2 ? cells(written) : [];
  if (typed.length === columns && typed.every((cell) => alignmentPattern.test(cell))) return text;
  // The last cell written may still grow (`:-` into `:-:`) unless a pipe closed it.
  const closed = written.trimEnd().endsWith('|') ? typed.length : typed.length - 1;
  const delimiter = Array.from({ length: columns }, (_, index) => {
    const cell = typed[index]?.trim() ?? '';
    return index < closed && alignmentPattern.test(cell) ? cell : '---';
  });
  return [...lines.slice(0, start + 1), `| ${delimiter.join(' | ')} |`].join('\n');
}

const tableRowPattern = /^ {0,3}\|/;
const partialDelimiterPattern = /^ {0,3}\|[ \t:|-]*$/;
const alignmentPattern = /^[ \t]*:?-+:?[ \t]*$/;

/** The cells of a table row, as GFM splits it: at pipes not escaped, outer pipes dropped. */
function cells(row: string): string[] {
  const parts = row.trim().split(/(?<!\\)\|/);
  if (parts[0]?.trim() === '') parts.shift();
  if (parts.length > 1 && parts.at(-1)?.trim() === '') parts.pop();
  return parts.length === 0 ? [''] : parts;
}
