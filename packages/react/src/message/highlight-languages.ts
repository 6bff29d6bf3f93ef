import type { LanguageFn } from 'highlight.js';

/**
 * The grammars of the highlighter itself (`highlighter.ts`, fetched with the first code block
 * that names one of them), with their aliases, needed before the grammars are there. The
 * languages chat answers use most, chosen for what they cost (see `pnpm bench size`).
 * JavaScript is highlighted with the TypeScript grammar, which covers it: highlight.js's two
 * grammars are each whole, and both would weigh twice as much.
 */
export const highlighterLanguages: Record<string, string[]> = {
  bash: ['sh', 'zsh', 'shell-script'],
  json: ['jsonc', 'json5', 'jsonl'],
  python: ['py', 'gyp', 'ipython'],
  typescript: [
    'ts',
    'tsx',
    'mts',
    'cts',
    'typescriptreact',
    'javascript',
    'js',
    'jsx',
    'mjs',
    'cjs',
    'javascriptreact',
    'node',
  ],
  xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
};

type GrammarModule = Promise<{ default: LanguageFn }>;

/**
 * Grammars fetched on their own, the first time a code block names them or one of their
 * aliases: each is a chunk of its own in the host app's build, fetched with `import()`.
 */
export const lazyHighlightLanguages: Record<
  string,
  { load: () => GrammarModule; aliases: string[] }
> = {
  c: { load: () => import('highlight.js/lib/languages/c'), aliases: ['h'] },
  css: { load: () => import('highlight.js/lib/languages/css'), aliases: [] },
  cpp: {
    load: () => import('highlight.js/lib/languages/cpp'),
    aliases: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
  },
  csharp: { load: () => import('highlight.js/lib/languages/csharp'), aliases: ['cs', 'c#'] },
  diff: { load: () => import('highlight.js/lib/languages/diff'), aliases: ['patch'] },
  dockerfile: { load: () => import('highlight.js/lib/languages/dockerfile'), aliases: ['docker'] },
  go: { load: () => import('highlight.js/lib/languages/go'), aliases: ['golang'] },
  graphql: { load: () => import('highlight.js/lib/languages/graphql'), aliases: ['gql'] },
  ini: { load: () => import('highlight.js/lib/languages/ini'), aliases: ['toml'] },
  java: { load: () => import('highlight.js/lib/languages/java'), aliases: ['jsp'] },
  kotlin: { load: () => import('highlight.js/lib/languages/kotlin'), aliases: ['kt', 'kts'] },
  makefile: {
    load: () => import('highlight.js/lib/languages/makefile'),
    aliases: ['mk', 'mak', 'make'],
  },
  markdown: {
    load: () => import('highlight.js/lib/languages/markdown'),
    aliases: ['md', 'mkdown', 'mkd'],
  },
  php: { load: () => import('highlight.js/lib/languages/php'), aliases: [] },
  powershell: {
    load: () => import('highlight.js/lib/languages/powershell'),
    aliases: ['pwsh', 'ps', 'ps1'],
  },
  ruby: { load: () => import('highlight.js/lib/languages/ruby'), aliases: ['rb'] },
  rust: { load: () => import('highlight.js/lib/languages/rust'), aliases: ['rs'] },
  scss: { load: () => import('highlight.js/lib/languages/scss'), aliases: [] },
  shell: {
    load: () => import('highlight.js/lib/languages/shell'),
    aliases: ['console', 'shellsession'],
  },
  sql: { load: () => import('highlight.js/lib/languages/sql'), aliases: [] },
  swift: { load: () => import('highlight.js/lib/languages/swift'), aliases: [] },
  yaml: { load: () => import('highlight.js/lib/languages/yaml'), aliases: ['yml'] },
};

/** Languages shown as plain text without a warning. */
export const plainTextLanguages = ['text', 'txt', 'plain', 'plaintext', 'output', 'log'];
