'use client';

import {
  type ComponentPropsWithoutRef,
  forwardRef,
  type ReactNode,
  useCallback,
  useEffect,
} from 'react';
import { ArrowDownIcon } from '../internal/icons';
import { preloadMarkdown, prepareMessageWhenLoaded } from '../message/lazy-markdown';
import { Message } from '../message/message';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { MessageListPrimitive } from './message-list-primitive';
import { MessageListSkeleton } from './message-list-skeleton';

export interface MessageListProps extends ComponentPropsWithoutRef<'div'> {
  /** Shown when the thread has no messages (a new chat). */
  emptyState?: ReactNode;
  /** Renders one message; default `<Message messageId={id} />`. Keep it memoized. */
  renderMessage?: (messageId: string) => ReactNode;
  labels?: Partial<ChatLabels>;
  className?: string;
}

/**
 * The messages of the surrounding `ThreadScope` in a centred reading column: virtualized (a
 * 10,000-message thread scrolls smoothly), following a streaming answer unless the reader
 * scrolled up (then a "Jump to latest" button shows), and loading older messages at the top
 * without moving what the reader is looking at.
 */
export const MessageList = /* @__PURE__ */ forwardRef<HTMLDivElement, MessageListProps>(
  function MessageList(
    { emptyState, renderMessage, labels: labelsOverride, className, ...props },
    ref,
  ) {
    const labels = useLabels(labelsOverride);
    const renderDefault = useCallback(
      (messageId: string) => <Message messageId={messageId} labels={labelsOverride} />,
      [labelsOverride],
    );
    // The default rows render markdown, whose renderer loads on demand: fetch it while the
    // browser is idle, so that it is there when the first answer shows.
    useEffect(() => (renderMessage ? undefined : preloadMarkdown()), [renderMessage]);
    return (
      <MessageListPrimitive.Root
        ref={ref}
        className={className ? `confab-message-list ${className}` : 'confab-message-list'}
        // The default rows render markdown: render it for the answers about to scroll into view
        // while the browser is idle. Rows of the caller's own may render something else entirely.
        prepareMessage={renderMessage ? undefined : prepareMessageWhenLoaded}
        {...props}
      >
        <MessageListPrimitive.Viewport
          className="confab-message-list__viewport"
          aria-label={labels.messageList}
        >
          <MessageListPrimitive.Loading>
            <MessageListSkeleton label={labels.loadingMessages} />
          </MessageListPrimitive.Loading>
          <MessageListPrimitive.Empty>
            <div className="confab-message-list__empty">{emptyState}</div>
          </MessageListPrimitive.Empty>
          <MessageListPrimitive.History className="confab-message-list__history">
            {(state) =>
              state === 'loading' ? (
                <span role="status">{labels.loadingOlder}</span>
              ) : state === 'start' ? (
                <span className="confab-message-list__start">{labels.startOfConversation}</span>
              ) : null
            }
          </MessageListPrimitive.History>
          <MessageListPrimitive.Items
            className="confab-message-list__items"
            rowClassName="confab-message-list__row"
            renderMessage={renderMessage ?? renderDefault}
          />
        </MessageListPrimitive.Viewport>
        <MessageListPrimitive.JumpToLatest className="confab-message-list__jump">
          <ArrowDownIcon />
          <span>{labels.jumpToLatest}</span>
        </MessageListPrimitive.JumpToLatest>
      </MessageListPrimitive.Root>
    );
  },
);
