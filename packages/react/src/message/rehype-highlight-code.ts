import type { LanguageFn } from 'highlight.js';
import { createLowlight } from 'lowlight';
import { highlightAliases, highlightLanguages, plainTextLanguages } from './highlight-languages';

// The few hast shapes this plugin touches; markdown's code blocks are `pre > code` elements.
interface HastText {
  type: 'text';
  value: string;
}
interface HastElement {
  type: 'element';
  tagName: string;
  properties: { className?: unknown };
  children: HastNode[];
}
type HastNode = HastText | HastElement | { type: string; children?: HastNode[] };

/**
 * Our grammars only. Highlighting through lowlight with a registry built here (rather than a
 * plugin whose default registry is every common grammar) keeps the other grammars out of the
 * host app's bundle.
 */
const lowlight = createLowlight(highlightLanguages);
lowlight.registerAlias(highlightAliases);

/**
 * Adds a highlight.js grammar for code blocks, beyond the built-in set (the aliases it declares
 * come with it): `registerCodeLanguage('swift', swift)` with
 * `import swift from 'highlight.js/lib/languages/swift'`.
 */
export function registerCodeLanguage(name: string, grammar: LanguageFn): void {
  lowlight.register(name, grammar);
  languagesVersion++;
}

let languagesVersion = 0;

/** Changes whenever a grammar is registered: markdown rendered before may highlight otherwise. */
export function codeLanguagesVersion(): number {
  return languagesVersion;
}

/**
 * A rehype plugin that highlights fenced code blocks that name a known language, adding
 * highlight.js's `hljs-*` classes. A block without a language, or in another language, is left
 * as plain text: guessing would run every grammar over the code on every streamed frame.
 */
export function rehypeHighlightCode() {
  return (tree: HastNode) => {
    visitCodeBlocks(tree, (code) => {
      const language = languageOf(code);
      if (!language || plainTextLanguages.includes(language) || !lowlight.registered(language)) {
        return;
      }
      const result = lowlight.highlight(language, textOf(code));
      const classes = Array.isArray(code.properties.className) ? code.properties.className : [];
      code.properties.className = ['hljs', ...classes];
      if (result.children.length > 0) code.children = result.children as HastNode[];
    });
  };
}

function visitCodeBlocks(node: HastNode, visit: (code: HastElement) => void): void {
  if (!('children' in node) || !node.children) return;
  for (const child of node.children) {
    if (isElement(node) && node.tagName === 'pre' && isElement(child) && child.tagName === 'code') {
      visit(child);
    } else {
      visitCodeBlocks(child, visit);
    }
  }
}

function isElement(node: HastNode): node is HastElement {
  return node.type === 'element';
}

/** The language named by a `language-*` class, as markdown puts it on fenced code. */
function languageOf(code: HastElement): string | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-')) {
      return name.slice('language-'.length).toLowerCase();
    }
  }
  return undefined;
}

function textOf(node: HastNode): string {
  if (node.type === 'text') return (node as HastText).value;
  if (!('children' in node) || !node.children) return '';
  return node.children.map(textOf).join('');
}
