'use client';

import type { Message, ThreadState } from '@confab/core';
import { type ReactVirtualizer, useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { scheduleIdle } from '../internal/schedule-idle';
import { useBrowserLayoutEffect } from '../internal/use-browser-layout-effect';
import { useMessageIds, useThreadScope, useThreadSelector } from '../provider/thread-scope';

/**
 * How close to the end (px) still counts as "at the latest message": the list then follows a
 * streaming answer, and the jump-to-latest button stays hidden. Small, so that scrolling up even
 * a little stops the following.
 */
const atBottomThreshold = 16;

/**
 * How many messages beyond the rendered rows are prepared ahead (see `prepareMessage`): in the
 * direction the reader scrolls, and the other way. A screen or two of a fast scroll.
 */
const prepareAhead = 12;
const prepareBehind = 4;
/** Stop preparing when less of an idle period than this is left (ms): one message may take it. */
const prepareMargin = 3;

/** Where the list's history stands: `loading` an older page, `more` to load, or at the `start`. */
export type MessageListHistoryState = 'loading' | 'more' | 'start';

export type MessageListVirtualizer = ReactVirtualizer<HTMLDivElement, HTMLDivElement>;

export interface MessageListScroll {
  /** Message ids, oldest first. */
  ids: string[];
  virtualizer: MessageListVirtualizer;
  /** The rows to render: the visible ones and the overscan. */
  virtualItems: VirtualItem[];
  isAtBottom: boolean;
  /** The thread's first page is loading and nothing is shown yet. */
  isLoading: boolean;
  /** No messages, and none loading. */
  isEmpty: boolean;
  historyState: MessageListHistoryState;
  viewport: HTMLDivElement | null;
  viewportRef: (element: HTMLDivElement | null) => void;
  historyRef: (element: HTMLElement | null) => void;
  itemsRef: (element: HTMLDivElement | null) => void;
  /** Scrolls to the newest message; the list follows new output again from there. */
  scrollToLatest: () => void;
}

export interface MessageListScrollOptions {
  /** A first guess at a row's height (px) before it is measured. */
  estimateSize: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number;
  /**
   * Work to do for a message before its row mounts, when the browser is idle: called for the
   * messages just beyond the rendered rows, the way the reader scrolls first. Returns whether
   * there was work (it is called again for a message whose content changed).
   */
  prepareMessage?: (message: Message) => boolean;
}

/**
 * The scrolling of a chat's message list, over @tanstack/react-virtual with end anchoring:
 *
 * - only the visible rows (and the overscan) are in the DOM, keyed by message id, each measured
 *   by a ResizeObserver; positions are written to the DOM by the virtualizer, so a row that
 *   grows (a streaming answer) re-renders nothing but itself;
 * - a list at its end stays there when the last message grows or a message is added (the
 *   virtualizer compensates in its ResizeObserver callback, not on every token), and when the
 *   viewport shrinks (say, the composer grows);
 * - a list scrolled up stays put, and says so (`isAtBottom: false`) for a jump-to-latest button;
 * - older pages load when the reader nears the top, and the virtualizer keeps the first visible
 *   message where it was on screen when they are prepended (it finds it again by its key);
 * - a thread opens at its end, and sending a message scrolls to it.
 */
export function useMessageListScroll(options: MessageListScrollOptions): MessageListScroll {
  const session = useThreadScope();
  const ids = useMessageIds();
  const latestSession = useRef(session);
  latestSession.current = session;

  const viewportElement = useRef<HTMLDivElement | null>(null);
  const [viewport, setViewport] = useState<HTMLDivElement | null>(null);
  const [history, setHistory] = useState<HTMLElement | null>(null);
  const itemsElement = useRef<HTMLDivElement | null>(null);
  // The height of what precedes the rows inside the viewport (the history marker).
  const [scrollMargin, setScrollMargin] = useState(0);
  const [isAtBottom, setAtBottom] = useState(true);
  const atBottom = useRef(true);
  // Set when a thread opens: its first messages then scroll to the end.
  const pendingOpen = useRef(true);
  // react-query restarts a page fetch that is asked for again; ask once at a time.
  const loadingOlder = useRef(false);

  const getItemKey = useCallback((index: number) => ids[index] ?? index, [ids]);
  const { estimateSize: estimatedHeight, overscan } = options;
  const estimateSize = useCallback(() => estimatedHeight, [estimatedHeight]);

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: ids.length,
    getScrollElement: () => viewportElement.current,
    estimateSize,
    getItemKey,
    overscan,
    scrollMargin,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: atBottomThreshold,
    // Rows are positioned by the virtualizer itself; React renders only when rows come or go.
    directDomUpdates: true,
  });

  const markAtBottom = useCallback((value: boolean) => {
    if (atBottom.current === value) return;
    atBottom.current = value;
    setAtBottom(value);
  }, []);

  const loadOlderNearTop = useCallback(() => {
    const element = viewportElement.current;
    const { controller, loadOlder } = latestSession.current;
    const { hasOlder, isLoadingOlder } = controller?.getSnapshot() ?? {};
    if (!element || !hasOlder || isLoadingOlder || loadingOlder.current || pendingOpen.current) {
      return;
    }
    // A screen ahead of the top, so the page is usually there before the reader is.
    if (element.scrollTop > element.clientHeight) return;
    loadingOlder.current = true;
    // A failed page shows as the thread's error (ErrorBanner); nothing to handle here.
    const done = () => {
      loadingOlder.current = false;
    };
    loadOlder().then(done, done);
  }, []);

  // Follow the reader: at the end or not, and near the top or not.
  useEffect(() => {
    if (!viewport) return;
    const onScroll = () => {
      markAtBottom(distanceFromEnd(virtualizer, viewport) <= atBottomThreshold);
      loadOlderNearTop();
    };
    viewport.addEventListener('scroll', onScroll, { passive: true });
    // A viewport that shrinks (the composer grows, a phone keyboard opens) keeps its end in view.
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            if (atBottom.current && virtualizer.options.count > 0) virtualizer.scrollToEnd();
          })
        : null;
    observer?.observe(viewport);
    return () => {
      viewport.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [viewport, virtualizer, markAtBottom, loadOlderNearTop]);

  // A thread opens at its end: once its first messages are there, scroll to the last one.
  const threadId = session.threadId;
  useBrowserLayoutEffect(() => {
    pendingOpen.current = true;
  }, [threadId]);
  useBrowserLayoutEffect(() => {
    if (!pendingOpen.current || ids.length === 0 || !viewportElement.current) return;
    pendingOpen.current = false;
    virtualizer.scrollToEnd();
    markAtBottom(true);
  }, [ids, threadId, virtualizer, markAtBottom]);

  // Sending scrolls to the new message, even when the reader was up in the history. (When at the
  // end, `followOnAppend` already does; a new answer then follows the same way.)
  const lastId = ids[ids.length - 1];
  const previousLastId = useRef(lastId);
  useBrowserLayoutEffect(() => {
    const previous = previousLastId.current;
    previousLastId.current = lastId;
    if (lastId === undefined || previous === undefined || previous === lastId) return;
    const last = latestSession.current.controller?.getSnapshot().messages.at(-1);
    if (last?.id !== lastId || last.role !== 'user') return;
    virtualizer.scrollToEnd();
    markAtBottom(true);
  }, [lastId, virtualizer, markAtBottom]);

  // Once a page shows (or the first one, or a short thread), the reader may still be near the
  // top: load the next. Only when messages came: a fetch that just ended has not yet reached
  // the list, and asking again then would skip the reader past a page.
  useEffect(() => {
    if (ids.length > 0) loadOlderNearTop();
  }, [ids, loadOlderNearTop]);

  const historyState = useThreadSelector(selectHistoryState);
  const loading = useThreadSelector(selectLoading);
  const isLoading = loading && ids.length === 0;
  const isEmpty = ids.length === 0 && !loading;

  // The rows start below the history marker: tell the virtualizer how far, whenever the marker
  // appears, changes or resizes.
  const measureScrollMargin = useCallback(() => {
    const element = viewportElement.current;
    const items = itemsElement.current;
    if (!element || !items) return;
    const offset = offsetWithin(items, element);
    setScrollMargin((current) => (current === offset ? current : offset));
  }, []);
  useBrowserLayoutEffect(measureScrollMargin, [historyState, isEmpty, measureScrollMargin]);
  useEffect(() => {
    if (!history || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(measureScrollMargin);
    observer.observe(history);
    return () => observer.disconnect();
  }, [history, measureScrollMargin]);

  const viewportRef = useCallback((element: HTMLDivElement | null) => {
    viewportElement.current = element;
    setViewport(element);
  }, []);
  const itemsRef = useCallback(
    (element: HTMLDivElement | null) => {
      itemsElement.current = element;
      virtualizer.containerRef(element);
    },
    [virtualizer],
  );

  const scrollToLatest = useCallback(() => {
    const element = viewportElement.current;
    if (!element) return;
    // Glide over a short way; jump over a long one (animating past thousands of rows means
    // rendering and measuring them all), and whenever the user asked for less motion.
    const far = distanceFromEnd(virtualizer, element) > element.clientHeight * 3;
    const reduceMotion =
      typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    virtualizer.scrollToEnd({ behavior: far || reduceMotion ? 'auto' : 'smooth' });
  }, [virtualizer]);

  const virtualItems = virtualizer.getVirtualItems();

  // Prepare the messages about to scroll into view while the browser is idle, so that mounting
  // them costs a frame as little as possible.
  const { prepareMessage } = options;
  const firstRendered = virtualItems[0]?.index;
  const lastRendered = virtualItems[virtualItems.length - 1]?.index;
  useEffect(() => {
    const controller = session.controller;
    if (!prepareMessage || !controller || firstRendered === undefined) return;
    // A thread opens at its end, so reading goes up unless the reader scrolls down.
    const down = virtualizer.scrollDirection === 'forward';
    const older = indexesAway(firstRendered, -1, down ? prepareBehind : prepareAhead, ids.length);
    const newer = indexesAway(lastRendered!, 1, down ? prepareAhead : prepareBehind, ids.length);
    const queue = down ? [...newer, ...older] : [...older, ...newer];
    let cancel = scheduleIdle(function prepare(deadline) {
      const { messages } = controller.getSnapshot();
      while (queue.length > 0 && deadline.timeRemaining() > prepareMargin) {
        const message = messages[queue.shift()!];
        if (message) prepareMessage(message);
      }
      if (queue.length > 0) cancel = scheduleIdle(prepare);
    });
    return () => cancel();
  }, [session.controller, prepareMessage, firstRendered, lastRendered, ids, virtualizer]);

  return useMemo(
    () => ({
      ids,
      virtualizer,
      virtualItems,
      isAtBottom,
      isLoading,
      isEmpty,
      historyState,
      viewport,
      viewportRef,
      historyRef: setHistory,
      itemsRef,
      scrollToLatest,
    }),
    [
      ids,
      virtualizer,
      virtualItems,
      isAtBottom,
      isLoading,
      isEmpty,
      historyState,
      viewport,
      viewportRef,
      itemsRef,
      scrollToLatest,
    ],
  );
}

/**
 * How far (px) the viewport is from the end of the rows, from the virtualizer's measurements
 * and the scroll position: no layout is read beyond `scrollTop` and `clientHeight`.
 */
function distanceFromEnd(virtualizer: MessageListVirtualizer, viewport: HTMLElement): number {
  const end = virtualizer.options.scrollMargin + virtualizer.getTotalSize();
  return Math.max(0, end - viewport.clientHeight - viewport.scrollTop);
}

/** `count` indexes from `start` (excluded) going `step`, within `[0, length)`. */
function indexesAway(start: number, step: 1 | -1, count: number, length: number): number[] {
  const indexes: number[] = [];
  for (let index = start + step; indexes.length < count && index >= 0 && index < length; ) {
    indexes.push(index);
    index += step;
  }
  return indexes;
}

/**
 * The distance from the top of the viewport's content to `element`, whatever the scroll
 * position: offsets up to the viewport (which is positioned, so it is their reference), else
 * from the boxes on screen.
 */
function offsetWithin(element: HTMLElement, viewport: HTMLElement): number {
  let offset = 0;
  let current: HTMLElement | null = element;
  while (current && current !== viewport) {
    offset += current.offsetTop;
    const parent = current.offsetParent;
    if (parent !== viewport && !(parent instanceof HTMLElement && viewport.contains(parent))) {
      // The viewport was made static by a style override: measure on screen instead.
      return Math.round(
        element.getBoundingClientRect().top -
          viewport.getBoundingClientRect().top -
          viewport.clientTop +
          viewport.scrollTop,
      );
    }
    current = parent as HTMLElement;
  }
  return offset;
}

const selectHistoryState = (state: ThreadState): MessageListHistoryState =>
  state.isLoadingOlder ? 'loading' : state.hasOlder ? 'more' : 'start';
const selectLoading = (state: ThreadState) => state.isLoading;
