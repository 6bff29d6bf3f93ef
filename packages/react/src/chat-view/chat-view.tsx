'use client';

import { type HTMLAttributes, type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { Composer } from '../composer/composer';
import { ConnectionStatus } from '../connection-status/connection-status';
import { EmptyState } from '../empty-state/empty-state';
import { ErrorBanner } from '../error-banner/error-banner';
import { useChatSession } from '../hooks/use-chat';
import { useUpdateThread } from '../hooks/use-thread-mutations';
import { MessageList } from '../message-list/message-list';
import { type ChatTheme, useChatTheme, useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';
import { OpenThreadContext } from '../provider/thread-navigation';
import { ThreadScope } from '../provider/thread-scope';
import { ChatViewHeader } from './chat-view-header';
import { ThreadNotFound } from './thread-not-found';
import { useChatViewSession } from './use-chat-view-session';

export interface ChatViewProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /**
   * The thread to show. A string, or `null` for a new chat, makes the view controlled: the
   * first message creates a thread and `onThreadChange` reports its id. Leave it out to let the
   * view keep its thread itself.
   */
  threadId?: string | null;
  /**
   * The view shows another thread: one the first message created, or a fork made in the view
   * (its id); or the user asked for a new chat (`null`).
   */
  onThreadChange?: (threadId: string | null) => void;
  /** The model for messages that name none; default the thread's, else the server's. */
  model?: string;
  /** Shows a model picker in the header. */
  showModelPicker?: boolean;
  /** Suggested prompts of the empty state. */
  suggestions?: string[];
  theme?: ChatTheme;
  labels?: Partial<ChatLabels>;
  className?: string;
  /** Content of a header bar above the messages (default with `showModelPicker`: the title). */
  header?: ReactNode;
}

/**
 * A whole chat: an optional header (with the thread's menu: fork, export), the error banner, the
 * messages (or the empty state with suggested prompts) and the composer. A fork made in the
 * view opens in it. Fills its container's height.
 */
export function ChatView({
  threadId,
  onThreadChange,
  model,
  showModelPicker = false,
  suggestions,
  theme: themeOverride,
  labels: labelOverrides,
  className,
  header,
  ...props
}: ChatViewProps) {
  const theme = useChatTheme(themeOverride);
  const controlled = threadId !== undefined;
  // An uncontrolled view starts over (after its thread vanished) by mounting a fresh session.
  const [generation, setGeneration] = useState(0);
  // A thread an uncontrolled view opened itself (a fork made in it); from then on it shows it.
  const [opened, setOpened] = useState<string | undefined>(undefined);
  const latest = useRef({ controlled, onThreadChange });
  latest.current = { controlled, onThreadChange };
  // Stable, so that the messages which may fork do not re-render with the view.
  const openThread = useCallback((next: string) => {
    if (!latest.current.controlled) setOpened(next);
    latest.current.onThreadChange?.(next);
  }, []);
  return (
    <div
      {...props}
      className={['confab-root', 'confab-chat-view', className].filter(Boolean).join(' ')}
      data-confab-theme={theme === 'system' ? undefined : theme}
    >
      <OpenThreadContext.Provider value={openThread}>
        <ChatViewSession
          key={controlled ? 'controlled' : opened !== undefined ? 'opened' : generation}
          threadId={controlled ? threadId : opened}
          onThreadChange={onThreadChange}
          onStartOver={() => {
            if (controlled) return onThreadChange?.(null);
            setOpened(undefined);
            setGeneration((n) => n + 1);
          }}
          model={model}
          showModelPicker={showModelPicker}
          suggestions={suggestions}
          labelOverrides={labelOverrides}
          header={header}
        />
      </OpenThreadContext.Provider>
    </div>
  );
}

interface ChatViewSessionProps {
  threadId: string | null | undefined;
  onThreadChange: ((threadId: string | null) => void) | undefined;
  onStartOver: () => void;
  model: string | undefined;
  showModelPicker: boolean;
  suggestions: string[] | undefined;
  labelOverrides: Partial<ChatLabels> | undefined;
  header: ReactNode;
}

function ChatViewSession({
  threadId,
  onThreadChange,
  onStartOver,
  model,
  showModelPicker,
  suggestions,
  labelOverrides,
  header,
}: ChatViewSessionProps) {
  const labels = useLabels(labelOverrides);
  // The model picked in this view, for the thread it was picked in (`null`: a new chat, whose
  // thread then inherits it).
  const [picked, setPicked] = useState<{ threadId: string | null; model: string } | null>(null);
  const session = useChatSession({
    threadId,
    model,
    onThreadCreated: (thread) => {
      setPicked((current) =>
        current && current.threadId === null ? { ...current, threadId: thread.id } : current,
      );
      onThreadChange?.(thread.id);
    },
  });
  const pickedModel = picked && picked.threadId === session.threadId ? picked.model : undefined;
  const scopedSession = useChatViewSession(session, pickedModel);
  const { mutate: updateThread } = useUpdateThread();
  const notFound = session.loadError?.status === 404;
  const hasHeader =
    showModelPicker || (header !== undefined && header !== null && header !== false);
  const emptyState = useMemo(
    () => <EmptyState suggestions={suggestions} labels={labelOverrides} />,
    [suggestions, labelOverrides],
  );

  const handleModelChange = (modelId: string) => {
    setPicked({ threadId: session.threadId, model: modelId });
    // Remember it on the thread, so it is still selected after a reload.
    if (session.threadId) updateThread({ threadId: session.threadId, changes: { model: modelId } });
  };

  return (
    <ThreadScope session={scopedSession}>
      {hasHeader && (
        <ChatViewHeader
          showModelPicker={showModelPicker}
          model={pickedModel ?? model}
          onModelChange={handleModelChange}
          labels={labels}
          labelOverrides={labelOverrides}
        >
          {header}
        </ChatViewHeader>
      )}
      {notFound ? (
        <ThreadNotFound labels={labels} onNewChat={onStartOver} />
      ) : (
        <>
          <ErrorBanner labels={labelOverrides} />
          <ConnectionStatus labels={labelOverrides} />
          <MessageList
            className="confab-chat-view__messages"
            // A history that failed to load is not an empty chat: no greeting over the banner.
            emptyState={session.loadError ? null : emptyState}
            labels={labelOverrides}
          />
          <div className="confab-chat-view__composer">
            <Composer labels={labelOverrides} />
          </div>
        </>
      )}
    </ThreadScope>
  );
}
