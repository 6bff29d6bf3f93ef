import remend, { type RemendOptions } from 'remend';

/**
 * What the streaming end of an answer shows: its syntax that is not closed yet, closed, so
 * `You wrote: _Hello` shows as emphasis at once instead of a literal `_` that turns into emphasis
 * when the closing one arrives (a flicker of raw syntax, and a reflow). Done by remend, the
 * maintained completer of streaming markdown; it only appends to the end and leaves code alone.
 *
 * An unfinished link shows as its text until its URL is whole (never as a link to half a URL); an
 * unfinished image shows as its text too (the link policy refuses remend's placeholder URL).
 * Math is not rendered here, so `$` stays as written.
 */
export function closeStreamingMarkdown(text: string): string {
  return remend(text, options);
}

const options: RemendOptions = { linkMode: 'text-only', katex: false, inlineKatex: false };
