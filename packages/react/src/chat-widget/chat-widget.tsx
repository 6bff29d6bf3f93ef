'use client';

import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ChatView } from '../chat-view/chat-view';
import { ChatIcon, CloseIcon, MenuIcon, PlusIcon } from '../internal/icons';
import {
  ChatProvider,
  type ChatProviderProps,
  type ChatTheme,
  useChatTheme,
  useLabels,
  useOptionalChatClient,
} from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { ThreadList } from '../thread-list/thread-list';
import { ChatWidgetPrimitive, useChatWidget } from './chat-widget-primitive';
import { useStoredThreadId } from './use-stored-thread-id';
import { WidgetShadow } from './widget-shadow';

type DistributiveOmit<T, Key extends PropertyKey> = T extends unknown ? Omit<T, Key> : never;

/**
 * How the widget reaches the chat API when it is used without a surrounding `ChatProvider`:
 * the provider's `endpoint` (with `headers`/`getToken`), `backend` or `client`. Inside a
 * provider, leave them out.
 */
export type ChatWidgetConnection =
  | { endpoint?: undefined; backend?: undefined; client?: undefined }
  | DistributiveOmit<ChatProviderProps, 'children' | 'labels' | 'theme'>;

export interface ChatWidgetOptions {
  /** The panel's title. Default `labels.widgetTitle`. */
  title?: string;
  defaultOpen?: boolean;
  /** Controls whether the panel is open; pair it with `onOpenChange`. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Corner of the launcher. Default `bottom-right`. */
  position?: 'bottom-right' | 'bottom-left';
  theme?: ChatTheme;
  labels?: Partial<ChatLabels>;
  /**
   * Classes of the widget's element in the host page (it also has `confab-root` and
   * `confab-chat-widget`): a hook for `--confab-*` custom properties and for hiding it. The
   * launcher and the panel are in its shadow root, out of reach of the page's selectors.
   */
  className?: string;
  showModelPicker?: boolean;
  /** Suggested prompts of a new chat. */
  suggestions?: string[];
  /**
   * Remembers the open chat in `localStorage` under this key, so a reload reopens it. Off by
   * default (a shared computer should not reopen someone's chat).
   */
  storageKey?: string;
}

export type ChatWidgetProps = ChatWidgetOptions & ChatWidgetConnection;

/**
 * A floating launcher that opens a chat panel with its own list of chats. Drop it anywhere:
 * inside a `ChatProvider`, or alone with `endpoint="/api/chat"` (or a `backend`/`client`).
 * On a phone-sized screen the panel fills the screen.
 *
 * It renders in a shadow root with its own stylesheet, so it looks the same in any host page
 * and needs no stylesheet import; theme it with `--confab-*` custom properties on `.confab-root`
 * (or the element's `className`).
 */
export function ChatWidget({ className, ...props }: ChatWidgetProps) {
  return (
    <WidgetShadow
      className={['confab-root', 'confab-chat-widget', className].filter(Boolean).join(' ')}
    >
      <ChatWidgetContent {...props} />
    </WidgetShadow>
  );
}

/**
 * The widget without its shadow root, for a caller that renders it into one of its own that
 * has adopted the widget's stylesheet (the `<confab-chat>` element).
 */
export function ChatWidgetContent(props: DistributiveOmit<ChatWidgetProps, 'className'>) {
  const {
    title,
    defaultOpen,
    open,
    onOpenChange,
    position,
    theme,
    labels,
    showModelPicker,
    suggestions,
    storageKey,
    ...connection
  } = props;
  const content = (
    <ChatWidgetRoot
      title={title}
      defaultOpen={defaultOpen}
      open={open}
      onOpenChange={onOpenChange}
      position={position}
      theme={theme}
      labels={labels}
      showModelPicker={showModelPicker}
      suggestions={suggestions}
      storageKey={storageKey}
    />
  );
  const standalone =
    connection.endpoint !== undefined ||
    connection.backend !== undefined ||
    connection.client !== undefined;
  const hasProvider = useOptionalChatClient() !== null;
  if (!standalone && !hasProvider) {
    throw new Error(
      '<ChatWidget> needs an endpoint, a backend or a client, or a surrounding <ChatProvider>.',
    );
  }
  if (!standalone) return content;
  return (
    <ChatProvider {...(connection as ChatProviderProps)} labels={labels} theme={theme}>
      {content}
    </ChatProvider>
  );
}

function ChatWidgetRoot({
  defaultOpen,
  open,
  onOpenChange,
  ...options
}: Omit<ChatWidgetOptions, 'className'>) {
  return (
    <ChatWidgetPrimitive.Root defaultOpen={defaultOpen} open={open} onOpenChange={onOpenChange}>
      <ChatWidgetLayout {...options} />
    </ChatWidgetPrimitive.Root>
  );
}

function ChatWidgetLayout({
  title,
  position = 'bottom-right',
  theme: themeOverride,
  labels: labelOverrides,
  showModelPicker,
  suggestions,
  storageKey,
}: Omit<ChatWidgetOptions, 'defaultOpen' | 'open' | 'onOpenChange' | 'className'>) {
  const labels = useLabels(labelOverrides);
  const theme = useChatTheme(themeOverride);
  const { open } = useChatWidget();
  const [threadId, setThreadId] = useStoredThreadId(storageKey);
  const [showThreads, setShowThreads] = useState(false);
  const threadsId = useId();
  const threadsToggleRef = useRef<HTMLButtonElement>(null);
  const threadsRef = useRef<HTMLDivElement>(null);
  const chatRef = useRef<HTMLDivElement>(null);
  // Where focus goes when the list closes: back to its toggle (Escape), or to the composer
  // (a chat was chosen). Closing it with the toggle leaves focus on the toggle.
  const focusAfterThreads = useRef<'toggle' | 'composer' | null>(null);

  useEffect(() => {
    // The chat under the open list must not take focus or clicks. (`inert` as a property: as a
    // JSX attribute React 18 and 19 disagree on its values.)
    if (chatRef.current) chatRef.current.inert = showThreads;
    if (showThreads && threadsRef.current) {
      const current = threadsRef.current.querySelector<HTMLElement>('[aria-current="page"]');
      (current ?? threadsRef.current.querySelector<HTMLElement>('button'))?.focus();
      return;
    }
    const target = focusAfterThreads.current;
    focusAfterThreads.current = null;
    if (target === 'toggle') threadsToggleRef.current?.focus();
    if (target === 'composer') chatRef.current?.querySelector<HTMLElement>('textarea')?.focus();
  }, [showThreads]);

  const openThread = (next: string | null) => {
    setThreadId(next);
    if (showThreads) focusAfterThreads.current = 'composer';
    setShowThreads(false);
  };

  const handleThreadsKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    // Escape in the list closes the list; a second Escape closes the panel.
    event.preventDefault();
    event.stopPropagation();
    focusAfterThreads.current = 'toggle';
    setShowThreads(false);
  };

  return (
    <div
      className="confab-root confab-chat-widget"
      data-position={position}
      data-state={open ? 'open' : 'closed'}
      data-confab-theme={theme === 'system' ? undefined : theme}
    >
      <ChatWidgetPrimitive.Panel className="confab-chat-widget__panel">
        <div className="confab-chat-widget__header">
          <button
            ref={threadsToggleRef}
            type="button"
            className="confab-icon-button"
            aria-expanded={showThreads}
            aria-controls={threadsId}
            aria-label={showThreads ? labels.hideThreads : labels.showThreads}
            title={showThreads ? labels.hideThreads : labels.showThreads}
            onClick={() => setShowThreads((shown) => !shown)}
          >
            <MenuIcon />
          </button>
          <ChatWidgetPrimitive.Title className="confab-chat-widget__title">
            {title ?? labels.widgetTitle}
          </ChatWidgetPrimitive.Title>
          <button
            type="button"
            className="confab-icon-button"
            aria-label={labels.newChat}
            title={labels.newChat}
            onClick={() => openThread(null)}
          >
            <PlusIcon />
          </button>
          <ChatWidgetPrimitive.Close
            className="confab-icon-button"
            aria-label={labels.closeChat}
            title={labels.closeChat}
          >
            <CloseIcon />
          </ChatWidgetPrimitive.Close>
        </div>
        <div className="confab-chat-widget__body">
          <div
            ref={threadsRef}
            id={threadsId}
            className="confab-chat-widget__threads"
            hidden={!showThreads}
          >
            {showThreads && (
              <ThreadList
                selectedThreadId={threadId}
                onSelect={openThread}
                onKeyDown={handleThreadsKeyDown}
                theme={theme}
                labels={labelOverrides}
              />
            )}
          </div>
          <div ref={chatRef} className="confab-chat-widget__chat">
            <ChatView
              threadId={threadId}
              onThreadChange={setThreadId}
              showModelPicker={showModelPicker}
              suggestions={suggestions}
              theme={theme}
              labels={labelOverrides}
            />
          </div>
        </div>
      </ChatWidgetPrimitive.Panel>
      <ChatWidgetPrimitive.Trigger
        className="confab-chat-widget__launcher"
        aria-label={open ? labels.closeChat : labels.openChat}
        title={open ? labels.closeChat : labels.openChat}
      >
        {open ? <CloseIcon /> : <ChatIcon />}
      </ChatWidgetPrimitive.Trigger>
    </div>
  );
}
