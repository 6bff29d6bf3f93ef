'use client';

import { Fragment, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderMarkdownBlock } from './markdown-cache';
import type { MarkdownComponents } from './render-markdown';

/** A list block cut into its items (see `splitGrowingList`). */
export interface GrowingList {
  /** The paragraph the list interrupts, in the same block. */
  lead: string | null;
  ordered: boolean;
  /** The number of an ordered list's first item. */
  start: number;
  /** Each item's markdown: its marker line and the lines that continue it. */
  items: string[];
}

/**
 * A markdown block that is a list (after, perhaps, the paragraph it interrupts), split into its
 * items, so that a list still streaming in re-parses only its last item each frame instead of the
 * whole list. Only for lists whose items parse the same alone as together: a tight list (no blank
 * line in it), its items at the start of their lines with the same marker, each item continued by
 * indented lines (nested content) or plain text (lazy continuation). Anything else, `null`: the
 * block is then parsed whole, as always.
 */
export function splitGrowingList(block: string): GrowingList | null {
  if (definitionPattern.test(block)) return null;
  const lines = block.split(newlinePattern);
  const first = lines.findIndex((line) => itemPattern.test(line));
  if (first < 0) return null;
  const lead = lines.slice(0, first);
  if (!lead.every(isPlainLine)) return null;
  const marker = itemPattern.exec(lines[first]!)!;
  const ordered = marker[2] !== undefined;
  const start = ordered ? Number(marker[2]) : 1;
  if (lead.length > 0) {
    // Only a list from 1, and not an empty item, may interrupt a paragraph; otherwise the lines
    // continue the paragraph (or underline it as a heading). The same holds for a list opening
    // in the first item's line, which parsed alone would not be interrupting anything.
    const content = lines[first]!.slice(marker[0].length);
    if ((ordered && start !== 1) || blankPattern.test(content) || nestedItemPattern.test(content)) {
      return null;
    }
  }
  const kind = ordered ? marker[3] : marker[1];

  const items: string[] = [];
  for (const line of lines.slice(first)) {
    if (blankPattern.test(line) || thematicBreakPattern.test(line)) return null;
    const item = itemPattern.exec(line);
    if (item) {
      // Another marker starts another list.
      if ((item[2] !== undefined ? item[3] : item[1]) !== kind) return null;
      items.push(line);
    } else if (indentedPattern.test(line) || isPlainLine(line)) {
      items[items.length - 1] += `\n${line}`;
    } else {
      return null;
    }
  }
  return { lead: lead.length > 0 ? lead.join('\n') : null, ordered, start, items };
}

/**
 * A line of text that only continues a paragraph: not indented, and not the start of a heading,
 * quote, fence, table, HTML, thematic break or setext underline.
 */
function isPlainLine(line: string): boolean {
  return !blankPattern.test(line) && !indentedPattern.test(line) && !blockStartPattern.test(line);
}

const newlinePattern = /\r?\n/;
const blankPattern = /^[ \t]*$/;
const indentedPattern = /^[ \t]/;
/** A list item at the start of its line: a bullet, or a number and its delimiter. */
const itemPattern = /^(?:([-+*])|(\d{1,9})([.)]))(?:[ \t]|$)/;
const nestedItemPattern = /^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const thematicBreakPattern = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const blockStartPattern = /^(?:#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,}|\||<|=+[ \t]*$|-+[ \t]*$)/;
const definitionPattern = /^ {0,3}\[[^\]\n]+\]:/m;

/**
 * Renders a block still streaming in that is a list, item by item: each item's rendering is kept
 * in `pieces` while its text does not change, so a frame parses only the item that grew instead
 * of the whole list. The elements (and so the DOM) are the same as the whole block's. `null` for
 * any other block, or a list whose items do not each render as items of one list: render those
 * whole.
 */
export function renderGrowingList(
  text: string,
  components: MarkdownComponents,
  pieces: Map<string, ReactElement>,
): ReactElement | null {
  // Elements of the caller's own for lists would not be recognised below.
  const list = components.ul || components.ol || components.li ? null : splitGrowingList(text);
  if (!list) return null;
  const kept = new Map<string, ReactElement>();
  const piece = (markdown: string) => {
    const element = pieces.get(markdown) ?? renderMarkdownBlock(markdown, components);
    kept.set(markdown, element);
    return element;
  };
  const lead = list.lead === null ? null : piece(list.lead);
  const items: ReactNode[] = [];
  for (const [index, item] of list.items.entries()) {
    const rendered = listItemsOf(piece(item), list.ordered);
    if (!rendered) return null;
    for (const [offset, element] of rendered.entries()) {
      items.push(<Fragment key={`${index}.${offset}`}>{element}</Fragment>);
    }
  }
  pieces.clear();
  for (const [markdown, element] of kept) pieces.set(markdown, element);
  const start = list.ordered && list.start !== 1 ? list.start : undefined;
  return (
    <>
      {lead}
      {list.ordered ? <ol start={start}>{items}</ol> : <ul>{items}</ul>}
    </>
  );
}

/** The `<li>` elements of markdown that renders as one list and nothing else. */
function listItemsOf(rendered: ReactElement, ordered: boolean): ReactElement[] | null {
  const lists = childElements(rendered);
  if (lists?.length !== 1) return null;
  const list = lists[0]!;
  if (list.type !== (ordered ? 'ol' : 'ul')) return null;
  // Any property but the number (a task list's class, say) would need the whole list's.
  const { children: _children, start: _start, ...others } = list.props as Record<string, unknown>;
  if (Object.keys(others).length > 0) return null;
  const items = childElements(list);
  return items?.every((item) => item.type === 'li') ? items : null;
}

/** An element's child elements, when all its other children are whitespace. */
function childElements(element: ReactElement): ReactElement[] | null {
  const children = (element.props as { children?: ReactNode }).children;
  const elements: ReactElement[] = [];
  for (const child of Array.isArray(children) ? children : [children]) {
    if (isValidElement(child)) elements.push(child);
    else if (child !== null && child !== undefined && (typeof child !== 'string' || child.trim())) {
      return null;
    }
  }
  return elements;
}
