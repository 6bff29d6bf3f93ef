import type { LanguageFn } from 'highlight.js';
import { loadMarkdown } from './lazy-markdown';

/**
 * Adds a highlight.js grammar for code blocks, beyond the built-in and on-demand ones (the
 * aliases it declares come with it): `registerCodeLanguage('elixir', elixir)` with
 * `import elixir from 'highlight.js/lib/languages/elixir'`. Code blocks already shown in that
 * language are highlighted at once.
 *
 * The grammar is handed to the markdown renderer, which loads on demand (and with it the
 * highlighter): this module imports neither, so that registering a grammar at start brings
 * neither into the first load.
 */
export function registerCodeLanguage(name: string, grammar: LanguageFn): void {
  void loadMarkdown().then((renderer) => renderer?.registerCodeLanguage(name, grammar));
}
