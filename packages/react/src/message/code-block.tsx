'use client';

import {
  Children,
  type ComponentPropsWithoutRef,
  cloneElement,
  isValidElement,
  type ReactElement,
  type ReactNode,
  useContext,
} from 'react';
import { CheckIcon, CopyIcon } from '../internal/icons';
import { MarkdownLabelsContext } from './markdown-labels';
import { useCopyToClipboard } from './use-copy-to-clipboard';
import { useHighlightedCode } from './use-highlighted-code';

export type CodeBlockProps = ComponentPropsWithoutRef<'pre'>;

type CodeElement = ReactElement<{ className?: string; children?: ReactNode }>;

/**
 * A fenced code block: a header with its language and a copy button, then the code,
 * highlighted when its language has a grammar, scrolling sideways rather than wrapping. Renders
 * markdown's `pre` (around a `code` element with a `language-*` class); its labels come from
 * the surrounding `Markdown`.
 */
export function CodeBlock({ children, className, ...props }: CodeBlockProps) {
  const labels = useContext(MarkdownLabelsContext);
  const { copied, copy } = useCopyToClipboard();
  const code = codeElementOf(children);
  const text = textOf(code?.props.children);
  const language = languageOf(code?.props.className);
  const highlighted = useHighlightedCode(code, text, language);
  return (
    <div className="confab-code-block" data-language={language}>
      <div className="confab-code-block__header">
        <span className="confab-code-block__language">{language}</span>
        <button
          type="button"
          className="confab-code-block__copy"
          data-copied={copied ? '' : undefined}
          onClick={() => void copy(text.replace(/\n$/, ''))}
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
        {code && highlighted
          ? cloneElement(code, { className: `hljs ${code.props.className}`, children: highlighted })
          : children}
      </pre>
    </div>
  );
}

/** The `code` element inside, itself (not a copy: it keys the highlighted code kept). */
function codeElementOf(children: ReactNode): CodeElement | undefined {
  if (isValidElement(children)) return children as CodeElement;
  if (!Array.isArray(children)) return undefined;
  const elements = children.filter((child) => isValidElement(child));
  return elements.length === 1 ? (elements[0] as CodeElement) : undefined;
}

function languageOf(className: string | undefined): string | undefined {
  for (const name of className?.split(' ') ?? []) {
    if (name.startsWith('language-')) return name.slice('language-'.length) || undefined;
  }
  return undefined;
}

/** The code as written. */
function textOf(children: ReactNode): string {
  if (typeof children === 'string') return children;
  let text = '';
  for (const child of Children.toArray(children)) {
    if (typeof child === 'string' || typeof child === 'number') text += child;
    else if (isValidElement<{ children?: ReactNode }>(child)) text += textOf(child.props.children);
  }
  return text;
}
