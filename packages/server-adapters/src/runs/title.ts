/** A thread title from its first message: the first line, at most 80 characters. */
export function deriveTitle(text: string): string | null {
  const line = text.trim().split(/\r?\n/)[0]?.trim() ?? '';
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 77).trimEnd()}...` : line;
}
