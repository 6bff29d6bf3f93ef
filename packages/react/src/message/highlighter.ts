import bash from 'highlight.js/lib/languages/bash';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { createLowlight } from 'lowlight';

export type Highlighter = ReturnType<typeof createLowlight>;

/**
 * highlight.js's core through lowlight (a tree rather than an HTML string, so highlighted code
 * is React elements and never `dangerouslySetInnerHTML`), with the grammars chat answers use
 * most and no others. Fetched on demand (see `highlight-code.ts`): an answer's text shows before
 * its code is highlighted.
 */
export function createHighlighter(aliases: Record<string, string[]>): Highlighter {
  const highlighter = createLowlight({ bash, json, python, typescript, xml });
  // The aliases come from the module that fetches this one: a module both share would load
  // with every app that bundles this package (a bundler keeps it as a chunk of its own).
  highlighter.registerAlias(aliases);
  return highlighter;
}
