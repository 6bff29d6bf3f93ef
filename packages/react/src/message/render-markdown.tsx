'use client';

import { Lexer, type Token, type Tokens } from 'marked';
import {
  type ComponentPropsWithoutRef,
  type ComponentType,
  createElement,
  type ReactNode,
} from 'react';
import { decodeEntities } from './decode-entities';
import { safeImageUrl, safeLinkUrl } from './safe-url';

/** Every element the markdown produces; nothing else ever renders (no raw HTML). */
export type MarkdownElement =
  | 'a'
  | 'blockquote'
  | 'br'
  | 'code'
  | 'del'
  | 'em'
  | 'h1'
  | 'h2'
  | 'h3'
  | 'h4'
  | 'h5'
  | 'h6'
  | 'hr'
  | 'img'
  | 'input'
  | 'label'
  | 'li'
  | 'ol'
  | 'p'
  | 'pre'
  | 'strong'
  | 'sup'
  | 'table'
  | 'tbody'
  | 'td'
  | 'th'
  | 'thead'
  | 'tr'
  | 'ul';

/**
 * Replacements for how markdown elements render, each given the props the element would have
 * had. A fenced code block is `pre` around `code` (with a `language-*` class when the fence
 * names one, and the code as its text).
 */
export type MarkdownComponents = {
  [Element in MarkdownElement]?: ComponentType<ComponentPropsWithoutRef<Element>>;
};

/**
 * One markdown block as React elements: CommonMark and GFM (tables, strikethrough, task lists,
 * autolinks), parsed by marked's lexer and rendered here from its tokens. marked renders to an
 * HTML string, which would have to be set with `dangerouslySetInnerHTML` and sanitised; building
 * elements from the tokens instead renders only the elements listed above, so raw HTML in the
 * text is shown as text by construction. Every URL passes the policy of `safe-url.ts` here,
 * before any component sees it (an unsafe one is `undefined`), so a caller's own `a` or `img`
 * cannot loosen it.
 */
export function renderMarkdown(text: string, components: MarkdownComponents): ReactNode {
  const tokens = Lexer.lex(text, { gfm: true });
  return blocks(tokens, { components, tight: false });
}

interface Context {
  components: MarkdownComponents;
  /** Inside a tight list item: its paragraphs are text, not `p`. */
  tight: boolean;
}

function element(
  context: Context,
  type: MarkdownElement,
  key: number | string,
  props: Record<string, unknown> | null,
  children?: ReactNode,
): ReactNode {
  const component = context.components[type] ?? type;
  return createElement(component as ComponentType, { ...props, key }, children);
}

function blocks(tokens: readonly Token[], context: Context): ReactNode[] {
  const rendered: ReactNode[] = [];
  for (const [key, token] of tokens.entries()) {
    const node = block(token as Tokens.Generic, key, context);
    if (node !== null) rendered.push(node);
  }
  return rendered;
}

function block(token: Tokens.Generic, key: number, context: Context): ReactNode {
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      const type = `h${Math.min(Math.max(heading.depth, 1), 6)}` as MarkdownElement;
      return element(context, type, key, null, inline(heading.tokens, context));
    }
    case 'paragraph':
      return element(context, 'p', key, null, inline((token as Tokens.Paragraph).tokens, context));
    case 'text': {
      // A tight list item's paragraph.
      const text = token as Tokens.Text;
      const content = text.tokens ? inline(text.tokens, context) : decodeEntities(text.text);
      return context.tight ? content : element(context, 'p', key, null, content);
    }
    case 'code':
      return codeBlock(token as Tokens.Code, key, context);
    case 'blockquote':
      return element(
        context,
        'blockquote',
        key,
        null,
        blocks((token as Tokens.Blockquote).tokens, { ...context, tight: false }),
      );
    case 'list':
      return list(token as Tokens.List, key, context);
    case 'table':
      return table(token as Tokens.Table, key, context);
    case 'hr':
      return element(context, 'hr', key, null);
    case 'checkbox':
      // A task list item's box, before its text.
      return span(token, key, context);
    case 'def': {
      // A footnote (`[^1]: A note`) that marked read as a link definition: shown, not lost.
      const definition = token as Tokens.Def;
      if (!definition.tag.startsWith('^')) return null;
      const note = [definition.href, definition.title].filter(Boolean).join(' ');
      return element(context, 'p', key, null, [
        element(context, 'sup', 0, null, definition.tag.slice(1)),
        ` ${decodeEntities(note)}`,
      ]);
    }
    case 'html':
      // Raw HTML is shown as the text it is, never rendered.
      return element(context, 'p', key, null, (token as Tokens.HTML).text.replace(/\n+$/, ''));
    default:
      // `space` between blocks, and anything a later marked may add.
      return null;
  }
}

function codeBlock(token: Tokens.Code, key: number, context: Context): ReactNode {
  // The language is the info string's first word, as CommonMark renders it.
  const language = token.lang?.trim().split(/\s+/)[0];
  const code = element(
    context,
    'code',
    0,
    language ? { className: `language-${decodeEntities(language)}` } : null,
    // A code block's text ends with a line break, as in CommonMark's HTML.
    `${token.text}\n`,
  );
  return element(context, 'pre', key, null, code);
}

function list(token: Tokens.List, key: number, context: Context): ReactNode {
  const items = token.items.map((item, index) => {
    const inner = { ...context, tight: !item.loose };
    return element(
      context,
      'li',
      index,
      null,
      item.task ? task(item, inner) : blocks(item.tokens, inner),
    );
  });
  if (!token.ordered) return element(context, 'ul', key, null, items);
  const start = typeof token.start === 'number' && token.start !== 1 ? token.start : undefined;
  return element(context, 'ol', key, start === undefined ? null : { start }, items);
}

/**
 * A task list item: its box and first line in a `label`, so a screen reader says what is done.
 * marked puts the box before a tight item's text, or inside a loose item's first paragraph.
 */
function task(item: Tokens.ListItem, context: Context): ReactNode[] {
  const [first, second, ...rest] = item.tokens;
  if (first?.type === 'checkbox' && second?.type === 'text') {
    const text = second as Tokens.Text;
    const content = text.tokens ? inline(text.tokens, context) : decodeEntities(text.text);
    return [
      element(context, 'label', 'task', null, [span(first, 0, context), content]),
      ...blocks(rest, context),
    ];
  }
  const paragraph = first as Tokens.Paragraph | undefined;
  if (paragraph?.type === 'paragraph' && paragraph.tokens[0]?.type === 'checkbox') {
    const label = element(context, 'label', 0, null, inline(paragraph.tokens, context));
    return [element(context, 'p', 'task', null, label), ...blocks(item.tokens.slice(1), context)];
  }
  return blocks(item.tokens, context);
}

function table(token: Tokens.Table, key: number, context: Context): ReactNode {
  const cell = (type: 'th' | 'td', cell: Tokens.TableCell, index: number) =>
    element(
      context,
      type,
      index,
      cell.align ? { style: { textAlign: cell.align } } : null,
      inline(cell.tokens, context),
    );
  const header = element(
    context,
    'tr',
    0,
    null,
    token.header.map((header, index) => cell('th', header, index)),
  );
  const rows = token.rows.map((row, index) =>
    element(
      context,
      'tr',
      index,
      null,
      row.map((data, column) => cell('td', data, column)),
    ),
  );
  return element(context, 'table', key, null, [
    element(context, 'thead', 0, null, header),
    rows.length > 0 ? element(context, 'tbody', 1, null, rows) : null,
  ]);
}

function inline(tokens: readonly Token[] | undefined, context: Context): ReactNode[] {
  const rendered: ReactNode[] = [];
  for (const [key, token] of (tokens ?? []).entries()) {
    const node = span(token as Tokens.Generic, key, context);
    if (node === null) continue;
    // Adjacent text as one string, as the DOM will have it.
    const last = rendered.length - 1;
    if (typeof node === 'string' && typeof rendered[last] === 'string') {
      rendered[last] += node;
    } else {
      rendered.push(node);
    }
  }
  return rendered;
}

function span(token: Tokens.Generic, key: number, context: Context): ReactNode {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens, context) : decodeEntities(text.text);
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
    case 'em':
    case 'del':
      return element(context, token.type, key, null, inline(token.tokens, context));
    case 'codespan':
      // Entities in code stay as written.
      return element(context, 'code', key, null, (token as Tokens.Codespan).text);
    case 'br':
      return element(context, 'br', key, null);
    case 'link':
      return link(token as Tokens.Link, key, context);
    case 'image': {
      const image = token as Tokens.Image;
      return element(context, 'img', key, {
        src: safeImageUrl(decodeEntities(image.href)),
        alt: decodeEntities(image.text),
        title: image.title ? decodeEntities(image.title) : undefined,
      });
    }
    case 'checkbox':
      return [
        element(context, 'input', key, {
          type: 'checkbox',
          checked: (token as Tokens.Checkbox).checked,
          disabled: true,
          readOnly: true,
        }),
        ' ',
      ];
    case 'html':
      // Inline HTML too is shown as the text it is.
      return (token as Tokens.Tag).text;
    default:
      return typeof token.raw === 'string' ? token.raw : null;
  }
}

function link(token: Tokens.Link, key: number, context: Context): ReactNode {
  // A footnote reference (`[^1]`): GFM footnotes are not parsed, so it shows as its number.
  if (token.raw.startsWith('[^') && !token.raw.includes('](')) {
    return element(context, 'sup', key, null, token.text.slice(1));
  }
  return element(
    context,
    'a',
    key,
    {
      // Autolinks are literal; other destinations may hold character references.
      href: safeLinkUrl(token.autolink ? token.href : decodeEntities(token.href)),
      title: token.title ? decodeEntities(token.title) : undefined,
    },
    inline(token.tokens, context),
  );
}
