'use client';

import {
  type ButtonHTMLAttributes,
  createContext,
  forwardRef,
  type HTMLAttributes,
  type LiHTMLAttributes,
  useContext,
} from 'react';
import { composeEventHandlers } from '../internal/compose-event-handlers';

interface ThreadListContextValue {
  selectedThreadId: string | null;
  onSelect: (threadId: string | null) => void;
  onNewChat: (() => void) | undefined;
}

const ThreadListContext = /* @__PURE__ */ createContext<ThreadListContextValue | null>(null);
const ThreadListItemContext = /* @__PURE__ */ createContext<string | null>(null);

function useThreadListContext(part: string): ThreadListContextValue {
  const value = useContext(ThreadListContext);
  if (!value)
    throw new Error(`ThreadListPrimitive.${part} must be inside ThreadListPrimitive.Root.`);
  return value;
}

export interface ThreadListRootProps extends Omit<HTMLAttributes<HTMLElement>, 'onSelect'> {
  /** The open thread; `null` while a new chat has no thread yet. */
  selectedThreadId?: string | null;
  onSelect: (threadId: string | null) => void;
  /** Called by `New`; without it, `New` selects `null` (a new chat). */
  onNewChat?: () => void;
}

/** A `<nav>` that holds the selection for the items inside it. Name it with `aria-label`. */
const Root = /* @__PURE__ */ forwardRef<HTMLElement, ThreadListRootProps>(function ThreadListRoot(
  { selectedThreadId = null, onSelect, onNewChat, ...props },
  ref,
) {
  return (
    <ThreadListContext.Provider value={{ selectedThreadId, onSelect, onNewChat }}>
      <nav ref={ref} {...props} />
    </ThreadListContext.Provider>
  );
});

/** Starts a new chat: calls `onNewChat`, else selects `null`. */
const New = /* @__PURE__ */ forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement>>(
  function ThreadListNew({ onClick, ...props }, ref) {
    const { onSelect, onNewChat } = useThreadListContext('New');
    return (
      <button
        ref={ref}
        type="button"
        {...props}
        onClick={composeEventHandlers(onClick, () => (onNewChat ? onNewChat() : onSelect(null)))}
      />
    );
  },
);

export interface ThreadListItemProps extends LiHTMLAttributes<HTMLLIElement> {
  threadId: string;
}

/** One thread's `<li>`; `data-selected` when it is the open thread. */
const Item = /* @__PURE__ */ forwardRef<HTMLLIElement, ThreadListItemProps>(function ThreadListItem(
  { threadId, ...props },
  ref,
) {
  const { selectedThreadId } = useThreadListContext('Item');
  return (
    <ThreadListItemContext.Provider value={threadId}>
      <li
        ref={ref}
        data-thread-id={threadId}
        data-selected={selectedThreadId === threadId ? '' : undefined}
        {...props}
      />
    </ThreadListItemContext.Provider>
  );
});

/** Opens the item's thread; `aria-current="page"` on the open one. */
const Trigger = /* @__PURE__ */ forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement>
>(function ThreadListTrigger({ onClick, ...props }, ref) {
  const { selectedThreadId, onSelect } = useThreadListContext('Trigger');
  const threadId = useContext(ThreadListItemContext);
  if (threadId === null) throw new Error('ThreadListPrimitive.Trigger must be inside an Item.');
  const selected = selectedThreadId === threadId;
  return (
    <button
      ref={ref}
      type="button"
      aria-current={selected ? 'page' : undefined}
      data-selected={selected ? '' : undefined}
      {...props}
      onClick={composeEventHandlers(onClick, () => onSelect(threadId))}
    />
  );
});

/**
 * Unstyled parts of a thread list: `Root` (a nav holding the selection), `New`, `Item` and its
 * `Trigger`. Fill them from `useThreads()`; `ThreadList` is the ready-made composition.
 */
export const ThreadListPrimitive = { Root, New, Item, Trigger };
