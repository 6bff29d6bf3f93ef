/**
 * A model's output made storable. PostgreSQL's `text` and `jsonb` cannot hold NUL (U+0000) or a
 * UTF-16 surrogate without its partner, and refusing the answer would lose it: such characters
 * become U+FFFD (the replacement character) instead. Requests are refused for the same
 * characters (`isStorableText` in @confab/core); a model's answer is not the caller's input.
 */

const replacement = '\uFFFD';

/** A complete surrogate pair, or a character to replace: NUL or an unpaired surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters replaced.
const pairOrUnstorable = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0000\uD800-\uDFFF]/g;
/** Any character that may need replacing: most text has none, and is returned as it is. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the characters replaced.
const maybeUnstorable = /[\u0000\uD800-\uDFFF]/;

/** `text` with NUL and unpaired surrogates replaced by U+FFFD; well-formed pairs are kept. */
export function storableText(text: string): string {
  if (!maybeUnstorable.test(text)) return text;
  // Pairs are matched first, so only unpaired surrogates (and NUL) reach the replacement.
  return text.replace(pairOrUnstorable, (match) => (match.length === 2 ? match : replacement));
}

function endsWithHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}

/**
 * `storableText` for text that arrives in deltas. A model may split a surrogate pair across two
 * deltas (the high half ends one, the low half starts the next); sanitising each delta alone
 * would replace both halves. So a delta's trailing high surrogate is held back and put in front
 * of the next delta, and `end()` returns what is still held (replaced, as it has no partner).
 *
 * ```ts
 * const deltas = new StorableDeltas();
 * for await (const delta of model) append(deltas.push(delta));
 * append(deltas.end());
 * ```
 *
 * Everything pushed comes out exactly once, in order, as `storableText` of the whole.
 */
export class StorableDeltas {
  #held = '';

  /** The storable text of `delta`, less a trailing high surrogate kept for the next one. */
  push(delta: string): string {
    let text = this.#held + delta;
    this.#held = '';
    if (endsWithHighSurrogate(text)) {
      this.#held = text.slice(-1);
      text = text.slice(0, -1);
    }
    return storableText(text);
  }

  /** What is still held back, made storable: call once the last delta has been pushed. */
  end(): string {
    const held = this.#held;
    this.#held = '';
    return storableText(held);
  }
}
