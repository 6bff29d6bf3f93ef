'use client';

import { type ComponentPropsWithoutRef, useContext } from 'react';
import type { ExtraProps } from 'react-markdown';
import { CheckIcon, CopyIcon } from '../internal/icons';
import { MarkdownLabelsContext } from './markdown-labels';
import { useCopyToClipboard } from './use-copy-to-clipboard';

type HastNode = NonNullable<ExtraProps['node']>;
type HastChild = HastNode['children'][number];

export type CodeBlockProps = ComponentPropsWithoutRef<'pre'> & ExtraProps;

/**
 * A fenced code block: a header with its language and a copy button, then the (highlighted)
 * code, scrolling sideways rather than wrapping. Renders markdown's `pre`; its labels come from
 * the surrounding `Markdown`.
 */
export function CodeBlock({ node, children, className, ...props }: CodeBlockProps) {
  const labels = useContext(MarkdownLabelsContext);
  const { copied, copy } = useCopyToClipboard();
  const code = node ? findCode(node) : undefined;
  const language = code ? languageOf(code) : undefined;
  return (
    <div className="confab-code-block" data-language={language}>
      <div className="confab-code-block__header">
        <span className="confab-code-block__language">{language}</span>
        <button
          type="button"
          className="confab-code-block__copy"
          data-copied={copied ? '' : undefined}
          onClick={() => void copy(code ? textOf(code).replace(/\n$/, '') : '')}
        >
          {copied ? <CheckIcon /> : <CopyIcon />}
          <span>{copied ? labels.copied : labels.copyCode}</span>
        </button>
        {/* The button's text changes in place, which screen readers do not reliably speak. */}
        <span className="confab-visually-hidden" role="status">
          {copied ? labels.copied : ''}
        </span>
      </div>
      <pre
        {...props}
        // Focusable so that keyboard users can scroll long lines.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        className={className ? `confab-code-block__pre ${className}` : 'confab-code-block__pre'}
      >
        {children}
      </pre>
    </div>
  );
}

function findCode(pre: HastNode): HastNode | undefined {
  for (const child of pre.children) {
    if (child.type === 'element' && child.tagName === 'code') return child;
  }
  return undefined;
}

function languageOf(code: HastNode): string | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  for (const name of classes) {
    if (typeof name === 'string' && name.startsWith('language-')) {
      return name.slice('language-'.length);
    }
  }
  return undefined;
}

/** The code as written: the text of the highlighted tree, without its markup. */
function textOf(node: HastNode | HastChild): string {
  if (node.type === 'text') return node.value;
  if (node.type !== 'element') return '';
  let text = '';
  for (const child of node.children) text += textOf(child);
  return text;
}
