import type { LanguageFn } from 'highlight.js';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

/**
 * The grammars code blocks are highlighted with: the languages chat answers use most, chosen
 * for what they cost the host app's bundle (see `pnpm bench size`); `registerCodeLanguage` adds
 * any other highlight.js grammar. Each
 * brings its own aliases (`js`, `ts`, `tsx`, `sh`, `py`, `html`, `yml`…). A block in any other
 * language is shown unhighlighted, and a block that names no language is never guessed at:
 * guessing runs every grammar over the code, on every frame while it streams.
 */
export const highlightLanguages: Record<string, LanguageFn> = {
  bash,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};

/** Names models use that the grammars above do not list as aliases. */
export const highlightAliases: Record<string, string[]> = {
  bash: ['shell-script'],
  json: ['jsonl'],
  typescript: ['typescriptreact'],
  javascript: ['javascriptreact', 'node'],
};

/** Languages shown as plain text without a warning. */
export const plainTextLanguages = ['text', 'txt', 'plain', 'plaintext', 'output', 'log'];
