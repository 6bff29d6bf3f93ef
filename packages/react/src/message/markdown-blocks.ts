/**
 * Splits markdown into top-level blocks that parse the same alone as together, so a streaming
 * answer re-parses only its last block per frame: every earlier block is finished and its
 * rendering is reused.
 *
 * A block ends at a blank line outside fenced code, unless what follows continues it: an
 * indented line (a list item's next paragraph, nested code, indented code) or the next item of a
 * list. When the text defines link references or footnotes (`[label]: …`), whose uses may sit in
 * any block, it is kept whole.
 */
export function splitMarkdownBlocks(text: string): string[] {
  if (definitionPattern.test(text)) return [text];
  const blocks: string[] = [];
  let current: string[] = [];
  let blankLines: string[] = [];
  let fence: { marker: string; length: number } | null = null;
  let currentHasList = false;

  const finish = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
    blankLines = [];
    currentHasList = false;
  };

  for (const line of text.split(newlinePattern)) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (blankPattern.test(line)) {
      if (current.length > 0) blankLines.push(line);
      continue;
    }
    const listItem = listItemPattern.test(line);
    if (blankLines.length > 0) {
      const continues = indentedPattern.test(line) || (listItem && currentHasList);
      if (continues) current.push(...blankLines);
      else finish();
      blankLines = [];
    }
    current.push(line);
    if (listItem) currentHasList = true;
    fence = opensFence(line);
  }
  finish();
  return blocks;
}

const newlinePattern = /\r?\n/;
const blankPattern = /^[ \t]*$/;
const indentedPattern = /^[ \t]/;
const listItemPattern = /^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const definitionPattern = /^ {0,3}\[[^\]\n]+\]:/m;
const fenceOpenPattern = /^[ \t]*(`{3,}|~{3,})(.*)$/;

function opensFence(line: string): { marker: string; length: number } | null {
  const match = fenceOpenPattern.exec(line);
  if (!match) return null;
  const run = match[1]!;
  // A backtick fence's info string cannot contain a backtick (that is inline code instead).
  if (run[0] === '`' && match[2]!.includes('`')) return null;
  return { marker: run[0]!, length: run.length };
}

function closesFence(line: string, fence: { marker: string; length: number }): boolean {
  const trimmed = line.trim();
  if (trimmed.length < fence.length) return false;
  for (const character of trimmed) if (character !== fence.marker) return false;
  return true;
}

/** Whether the lines leave a fenced code block open: what follows them is code. */
export function leavesFenceOpen(lines: readonly string[]): boolean {
  let fence: { marker: string; length: number } | null = null;
  for (const line of lines) {
    if (fence) {
      if (closesFence(line, fence)) fence = null;
    } else {
      fence = opensFence(line);
    }
  }
  return fence !== null;
}
