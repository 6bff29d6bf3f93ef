import type { LanguageFn } from 'highlight.js';
import { createElement, type ReactNode } from 'react';
import {
  highlighterLanguages,
  lazyHighlightLanguages,
  plainTextLanguages,
} from './highlight-languages';
import type { Highlighter } from './highlighter';

type HastNode = ReturnType<Highlighter['highlight']>['children'][number];

/**
 * The highlighter and its grammars are not in the first load: highlight.js's core and the
 * common grammars weigh some 15 KB min+gzip, a quarter of the widget's budget, and a chat
 * shows text long before code. The first code block in a language we know fetches the
 * highlighter (`highlighter.ts`, one chunk) and, for a language outside its set, that
 * language's grammar; the block shows as plain text until then, and highlights in place (the
 * same text and size: nothing moves). A streaming answer's code block is usually still arriving
 * by then.
 */
let highlighter: Highlighter | undefined;
let highlighterLoad: Promise<Highlighter | undefined> | undefined;
/** Grammars being fetched or registered, by name; a failed fetch stays so it is not retried. */
let grammarLoads: Map<string, Promise<void>> | undefined;
/** Grammars the host app registered before the highlighter arrived. */
let registered: [string, LanguageFn][] | undefined;

let version = 0;
let listeners: Set<() => void> | undefined;

function changed(): void {
  version++;
  for (const listener of listeners ?? []) listener();
}

function loadHighlighter(): Promise<Highlighter | undefined> {
  highlighterLoad ??= import('./highlighter').then(
    ({ createHighlighter }) => {
      highlighter = createHighlighter(highlighterLanguages);
      for (const [name, grammar] of registered ?? []) highlighter.register(name, grammar);
      registered = undefined;
      changed();
      return highlighter;
    },
    // Offline: code stays plain.
    () => undefined,
  );
  return highlighterLoad;
}

/**
 * Adds a highlight.js grammar for code blocks, beyond the built-in and on-demand ones (the
 * aliases it declares come with it): `registerCodeLanguage('elixir', elixir)` with
 * `import elixir from 'highlight.js/lib/languages/elixir'`. Code blocks already shown in that
 * language are highlighted at once.
 */
export function registerCodeLanguage(name: string, grammar: LanguageFn): void {
  if (highlighter) {
    highlighter.register(name, grammar);
    changed();
  } else {
    registered ??= [];
    registered.push([name, grammar]);
    void loadHighlighter();
  }
}

/** Calls `listener` whenever a grammar is added (see `codeLanguagesVersion`). */
export function subscribeToCodeLanguages(listener: () => void): () => void {
  listeners ??= new Set();
  listeners.add(listener);
  return () => listeners?.delete(listener);
}

/** Changes whenever grammars are added: code shown before may highlight now. */
export function codeLanguagesVersion(): number {
  return version;
}

/**
 * What can be done for a code block in `language` (as its fence names it): highlight it now,
 * fetch what it needs first, or nothing (no language, plain text, a language being fetched, or
 * one we have no grammar for: guessing would run every grammar over the code on every streamed
 * frame).
 */
export function codeLanguageState(language: string): 'ready' | 'fetch' | 'none' {
  const name = language.toLowerCase();
  if (plainTextLanguages.includes(name)) return 'none';
  if (highlighter?.registered(name)) return 'ready';
  const grammar = grammarOf(name);
  return grammar && !grammarLoads?.has(grammar) ? 'fetch' : 'none';
}

/** The grammar we can fetch for a language name or alias. */
function grammarOf(name: string): string | undefined {
  for (const table of [highlighterLanguages, lazyHighlightLanguages]) {
    if (Object.hasOwn(table, name)) return name;
  }
  for (const [grammar, aliases] of Object.entries(highlighterLanguages)) {
    if (aliases.includes(name)) return grammar;
  }
  for (const [grammar, { aliases }] of Object.entries(lazyHighlightLanguages)) {
    if (aliases.includes(name)) return grammar;
  }
  return undefined;
}

/**
 * Fetches what code in `language` needs to highlight (the highlighter, and the language's own
 * grammar when it is not in the highlighter's set), once however often it is asked; code blocks
 * in it then highlight. What fails to arrive (offline) leaves them plain.
 */
export function loadCodeLanguage(language: string): Promise<void> {
  const grammar = grammarOf(language.toLowerCase());
  if (!grammar) return Promise.resolve();
  grammarLoads ??= new Map();
  let load = grammarLoads.get(grammar);
  if (!load) {
    const lazy = Object.hasOwn(lazyHighlightLanguages, grammar)
      ? lazyHighlightLanguages[grammar]
      : undefined;
    load = Promise.all([loadHighlighter(), lazy?.load()]).then(
      ([loaded, module]) => {
        if (!loaded || !module) return;
        loaded.register(grammar, module.default);
        changed();
      },
      () => {},
    );
    grammarLoads.set(grammar, load);
  }
  return load;
}

/**
 * The code highlighted in `language` (`codeLanguageState` says `ready`), as React elements
 * with highlight.js's `hljs-*` classes.
 */
export function highlightCode(code: string, language: string): ReactNode[] {
  if (!highlighter) return [code];
  return toElements(highlighter.highlight(language.toLowerCase(), code).children);
}

function toElements(nodes: readonly HastNode[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === 'text') return node.value;
    if (node.type !== 'element') return null;
    const classes = node.properties.className;
    return createElement(
      node.tagName,
      { key: index, className: Array.isArray(classes) ? classes.join(' ') : undefined },
      ...toElements(node.children),
    );
  });
}
