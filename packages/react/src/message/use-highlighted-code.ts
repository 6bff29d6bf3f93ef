'use client';

import { type ReactNode, useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  codeLanguageState,
  codeLanguagesVersion,
  highlightCode,
  loadCodeLanguage,
  subscribeToCodeLanguages,
} from './highlight-code';

/**
 * The code highlighted in `language`, or `null` to show it plain: no language, one without a
 * grammar, or one whose grammar is still being fetched (the block highlights when it arrives).
 * `source` is what the code came in (the `code` element of a rendered markdown block): a block
 * that mounts again with the same source (a message scrolled back into view) is not highlighted
 * again.
 */
export function useHighlightedCode(
  source: object | undefined,
  code: string,
  language: string | undefined,
): ReactNode[] | null {
  const version = useSyncExternalStore(
    subscribeToCodeLanguages,
    codeLanguagesVersion,
    codeLanguagesVersion,
  );
  const state = language ? codeLanguageState(language) : 'none';
  useEffect(() => {
    if (language && state === 'fetch') void loadCodeLanguage(language);
  }, [language, state]);
  return useMemo(() => {
    if (state !== 'ready' || !language) return null;
    if (!source) return highlightCode(code, language);
    highlighted ??= new WeakMap();
    const kept = highlighted.get(source);
    if (kept?.version === version && kept.code === code) return kept.nodes;
    const nodes = highlightCode(code, language);
    highlighted.set(source, { version, code, nodes });
    return nodes;
  }, [source, code, language, state, version]);
}

/** Highlighted code by the element it came in, for as long as that element is kept. */
let highlighted: WeakMap<object, { version: number; code: string; nodes: ReactNode[] }> | undefined;
