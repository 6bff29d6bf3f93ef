'use client';

import type { Message } from '@confab/core';
import {
  type ButtonHTMLAttributes,
  type ComponentPropsWithoutRef,
  type CSSProperties,
  createContext,
  forwardRef,
  memo,
  type ReactNode,
  useCallback,
  useContext,
} from 'react';
import { assignRef } from '../internal/assign-ref';
import { composeEventHandlers } from '../internal/compose-event-handlers';
import { useLabels } from '../provider/chat-provider';
import {
  type MessageListHistoryState,
  type MessageListScroll,
  useMessageListScroll,
} from './use-message-list-scroll';

const MessageListContext = /* @__PURE__ */ createContext<MessageListScroll | null>(null);

function useMessageListContext(part: string): MessageListScroll {
  const context = useContext(MessageListContext);
  if (!context) {
    throw new Error(`<MessageListPrimitive.${part}> must be inside <MessageListPrimitive.Root>.`);
  }
  return context;
}

export interface MessageListRootProps extends ComponentPropsWithoutRef<'div'> {
  /** A first guess at a message's height (px) before it is measured. Default 96. */
  estimateSize?: number;
  /** Messages rendered beyond each edge of the viewport. Default 6. */
  overscan?: number;
  /**
   * Work to do for a message before its row mounts, when the browser is idle (called for the
   * messages just beyond the rendered rows; returns whether there was work). `MessageList`
   * renders the markdown of settled answers ahead this way, so scrolling mounts them cheaply.
   */
  prepareMessage?: (message: Message) => boolean;
}

/**
 * Holds the list's scrolling state for the parts inside it, and shows it as `data-at-bottom`,
 * `data-loading` (first page), `data-loading-older`, `data-has-older` and `data-empty`. Reads
 * the messages of the surrounding `ThreadScope`; subscribes to their ids only, so a streaming
 * answer never re-renders the list.
 */
const Root = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageListRootProps>(
  function MessageListRoot({ estimateSize = 96, overscan = 6, prepareMessage, ...props }, ref) {
    const list = useMessageListScroll({ estimateSize, overscan, prepareMessage });
    return (
      <MessageListContext.Provider value={list}>
        <div
          ref={ref}
          data-at-bottom={list.isAtBottom ? '' : undefined}
          data-loading={list.isLoading ? '' : undefined}
          data-loading-older={list.historyState === 'loading' ? '' : undefined}
          data-has-older={list.historyState !== 'start' ? '' : undefined}
          data-empty={list.isEmpty ? '' : undefined}
          {...props}
        />
      </MessageListContext.Provider>
    );
  },
);

export type MessageListViewportProps = ComponentPropsWithoutRef<'div'>;

/**
 * The scrolling element: a `log` (new messages are announced politely), reachable with Tab so
 * the keyboard can scroll it. Put `History`, `Items`, `Empty` and `Loading` inside.
 */
const Viewport = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageListViewportProps>(
  function MessageListViewport({ style, ...props }, forwardedRef) {
    const list = useMessageListContext('Viewport');
    const labels = useLabels();
    const { viewportRef } = list;
    const ref = useCallback(
      (element: HTMLDivElement | null) => {
        viewportRef(element);
        assignRef(forwardedRef, element);
      },
      [viewportRef, forwardedRef],
    );
    return (
      <div
        ref={ref}
        role="log"
        aria-label={labels.messageList}
        // Each message announces itself (a streaming answer block by block); the log must not
        // also read out rows that mount while scrolling or older pages as they load.
        aria-live="off"
        aria-busy={list.isLoading || undefined}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable, or the keyboard cannot scroll it.
        tabIndex={0}
        {...props}
        // What virtualization needs to work, whatever the styling: its own scrolling, no browser
        // scroll anchoring fighting the virtualizer's own, and a reference for the rows' offset.
        style={{ position: 'relative', overflowY: 'auto', overflowAnchor: 'none', ...style }}
      />
    );
  },
);

export interface MessageListHistoryProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** What to show for each state (`loading`, `more`, `start`), or the same content for all. */
  children?: ReactNode | ((state: MessageListHistoryState) => ReactNode);
}

/**
 * The top of the list, above the first loaded message: where "loading earlier messages" and
 * "start of the conversation" go (`data-state`: `loading`, `more` or `start`). Keep its height
 * the same in every state, so the messages below it do not move when it changes.
 */
const History = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageListHistoryProps>(
  function MessageListHistory({ children, ...props }, forwardedRef) {
    const list = useMessageListContext('History');
    const { historyRef } = list;
    const ref = useCallback(
      (element: HTMLDivElement | null) => {
        historyRef(element);
        assignRef(forwardedRef, element);
      },
      [historyRef, forwardedRef],
    );
    if (list.ids.length === 0) return null;
    return (
      <div ref={ref} data-state={list.historyState} {...props}>
        {typeof children === 'function' ? children(list.historyState) : children}
      </div>
    );
  },
);

export interface MessageListItemsProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** Renders one message (keep it memoized: it re-renders only when its id or this changes). */
  renderMessage: (messageId: string) => ReactNode;
  /** Class of each row, the element measured and positioned around a message. */
  rowClassName?: string;
}

/**
 * The messages: a box as tall as all of them, holding only the rows near the viewport, each
 * keyed and identified (`data-message-id`) by its message id.
 */
const Items = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageListItemsProps>(
  function MessageListItems({ renderMessage, rowClassName, style, ...props }, forwardedRef) {
    const list = useMessageListContext('Items');
    const { itemsRef, ids, virtualItems, virtualizer } = list;
    const ref = useCallback(
      (element: HTMLDivElement | null) => {
        itemsRef(element);
        assignRef(forwardedRef, element);
      },
      [itemsRef, forwardedRef],
    );
    return (
      <div ref={ref} {...props} style={{ position: 'relative', width: '100%', ...style }}>
        {virtualItems.map((item) => {
          const messageId = ids[item.index];
          if (messageId === undefined) return null;
          return (
            <Row
              key={item.key.toString()}
              index={item.index}
              messageId={messageId}
              measure={virtualizer.measureElement}
              className={rowClassName}
              renderMessage={renderMessage}
            />
          );
        })}
      </div>
    );
  },
);

// The virtualizer writes each row's `transform`; the row only anchors itself at the top.
const rowStyle: CSSProperties = { position: 'absolute', top: 0, left: 0, width: '100%' };

const Row = /* @__PURE__ */ memo(function MessageListRow({
  index,
  messageId,
  measure,
  className,
  renderMessage,
}: {
  index: number;
  messageId: string;
  measure: (element: HTMLDivElement | null) => void;
  className: string | undefined;
  renderMessage: (messageId: string) => ReactNode;
}) {
  return (
    <div
      ref={measure}
      data-index={index}
      data-message-id={messageId}
      className={className}
      style={rowStyle}
    >
      {renderMessage(messageId)}
    </div>
  );
});

export type MessageListJumpToLatestProps = ButtonHTMLAttributes<HTMLButtonElement>;

/**
 * Present while the reader is scrolled away from the newest message: scrolls there, and the
 * list follows new output again. Its default content is `labels.jumpToLatest`.
 */
const JumpToLatest = /* @__PURE__ */ forwardRef<HTMLButtonElement, MessageListJumpToLatestProps>(
  function MessageListJumpToLatest({ onClick, children, ...props }, ref) {
    const list = useMessageListContext('JumpToLatest');
    const labels = useLabels();
    if (list.isAtBottom || list.ids.length === 0) return null;
    return (
      <button
        ref={ref}
        type="button"
        {...props}
        onClick={composeEventHandlers(onClick, () => {
          // The button goes away at the end; keep the keyboard in the list rather than lose it.
          list.viewport?.focus({ preventScroll: true });
          list.scrollToLatest();
        })}
      >
        {children ?? labels.jumpToLatest}
      </button>
    );
  },
);

/** Its children show when the thread has no messages (and none are loading). */
function Empty({ children }: { children?: ReactNode }) {
  const list = useMessageListContext('Empty');
  return list.isEmpty ? children : null;
}

/** Its children show while the thread's first messages load. */
function Loading({ children }: { children?: ReactNode }) {
  const list = useMessageListContext('Loading');
  return list.isLoading ? children : null;
}

/** The message list's unstyled parts; `MessageList` is the ready-made one. */
export const MessageListPrimitive = {
  Root,
  Viewport,
  History,
  Items,
  JumpToLatest,
  Empty,
  Loading,
};
