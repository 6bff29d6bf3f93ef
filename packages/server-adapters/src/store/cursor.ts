import { ConfabError } from '@confab/core';

/** Opaque page cursors: base64url of a small JSON array. */
export function encodeCursor(values: (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeThreadCursor(cursor: string): { lastActivityAt: string; id: string } {
  const values = decode(cursor);
  const [lastActivityAt, id] = values;
  if (
    values.length !== 2 ||
    typeof lastActivityAt !== 'string' ||
    !isTimestamp(lastActivityAt) ||
    typeof id !== 'string'
  ) {
    throw invalidCursor();
  }
  return { lastActivityAt, id };
}

/**
 * An ISO 8601 timestamp as the stores write them. Checked here because PostgreSQL compares the
 * cursor with a `timestamptz` column and fails on anything else, which would answer 500, not 400.
 */
function isTimestamp(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

export function decodeMessageCursor(cursor: string): number {
  const values = decode(cursor);
  const [sequence] = values;
  if (values.length !== 1 || !Number.isSafeInteger(sequence)) throw invalidCursor();
  return sequence as number;
}

function decode(cursor: string): unknown[] {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    const values: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (Array.isArray(values)) return values;
  } catch {}
  throw invalidCursor();
}

function invalidCursor() {
  return new ConfabError('invalid_request', 'The cursor is not valid.', {
    issues: [{ path: ['cursor'], message: 'Use the nextCursor of a previous page.' }],
  });
}
