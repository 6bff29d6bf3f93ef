import { ConfabError, idSchema } from '@confab/core';

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
  // An id outside the id alphabet (a NUL, say) is no thread's, and PostgreSQL would refuse it.
  const threadId = idSchema.safeParse(id);
  if (
    values.length !== 2 ||
    typeof lastActivityAt !== 'string' ||
    !isTimestamp(lastActivityAt) ||
    !threadId.success
  ) {
    throw invalidCursor();
  }
  return { lastActivityAt, id: threadId.data };
}

/**
 * A timestamp exactly as the stores write them (`Date#toISOString`). Checked here because
 * PostgreSQL compares the cursor with a `timestamptz` column and fails on anything it cannot
 * read, which would answer 500, not 400. `Date.parse` alone is not enough: it reads February 31
 * as March 3, which PostgreSQL refuses; the round trip catches that, and the four-digit year
 * keeps out years past 9999 (`+099999-...`), which PostgreSQL refuses too.
 */
function isTimestamp(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/** A message page's cursor: the id of the page's oldest message, whose parent the next page ends at. */
export function decodeMessageCursor(cursor: string): string {
  const values = decode(cursor);
  const messageId = idSchema.safeParse(values[0]);
  if (values.length !== 1 || !messageId.success) throw invalidCursor();
  return messageId.data;
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
