import * as z from 'zod/mini';

/**
 * What PostgreSQL's `text` and `jsonb` cannot hold: NUL (U+0000), and a UTF-16 surrogate without
 * its partner (a high one not followed by a low one, or a low one not preceded by a high one),
 * which has no UTF-8 encoding. Written without lookbehind so that older browsers parse it.
 */
const unstorable =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for.
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const unstorableTextMessage =
  'Text must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates.';

/** Whether every store can keep `text` exactly: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !unstorable.test(text);
}

/**
 * A string every store keeps exactly. Input is checked here, so that SQLite and memory refuse what
 * PostgreSQL could not store, and the same request gets the same answer on every store.
 */
export function storableString() {
  return z.string().check(z.refine(isStorableText, { message: unstorableTextMessage }));
}
