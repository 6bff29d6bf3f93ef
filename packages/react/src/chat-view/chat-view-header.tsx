'use client';

import { type ReactNode, useState } from 'react';
import { ModelPicker } from '../model-picker/model-picker';
import type { ChatLabels } from '../provider/labels';
import { useOpenThread } from '../provider/thread-navigation';
import { useThreadScope, useThreadSelector } from '../provider/thread-scope';
import { ThreadMenu } from '../thread-menu/thread-menu';

export interface ChatViewHeaderProps {
  /** Replaces the thread's title. */
  children?: ReactNode;
  showModelPicker: boolean;
  model: string | undefined;
  onModelChange: (modelId: string) => void;
  labels: ChatLabels;
  labelOverrides: Partial<ChatLabels> | undefined;
}

/**
 * The bar above the messages: the thread's title (or the host's content), the model, and the
 * thread's menu (fork up to its last message, export). A thread that does not exist has none
 * of them; a new chat has no menu yet.
 */
export function ChatViewHeader({
  children,
  showModelPicker,
  model,
  onModelChange,
  labels,
  labelOverrides,
}: ChatViewHeaderProps) {
  const { threadId, thread, loadError } = useThreadScope();
  const lastMessageId = useThreadSelector((state) => state.messages.at(-1)?.id);
  const openThread = useOpenThread();
  const [menuError, setMenuError] = useState<string | null>(null);
  // A thread that does not exist (or is someone else's) has no title, even a cached one.
  const notFound = loadError?.status === 404;
  // "New chat" names a chat without a thread yet, or a thread without a title; while the
  // thread loads (it may turn out not to exist) there is no title to show yet.
  let title: string | null = null;
  if (thread && !notFound) title = thread.title ?? labels.untitledThread;
  else if (threadId === null) title = labels.untitledThread;
  return (
    <div className="confab-chat-view__header">
      <div className="confab-chat-view__heading">
        {children ?? (title !== null && <h2 className="confab-chat-view__title">{title}</h2>)}
      </div>
      {showModelPicker && !notFound && (
        <ModelPicker
          className="confab-chat-view__model"
          value={model ?? thread?.model ?? undefined}
          onChange={onModelChange}
          labels={labelOverrides}
        />
      )}
      {threadId !== null && thread && !notFound && (
        <ThreadMenu
          className="confab-chat-view__menu"
          threadId={threadId}
          lastMessageId={lastMessageId}
          canFork={lastMessageId !== undefined}
          labels={labels}
          onForked={(forked) => {
            setMenuError(null);
            openThread?.(forked.id);
          }}
          onError={setMenuError}
        />
      )}
      {menuError && (
        <p role="alert" className="confab-chat-view__menu-error">
          {menuError}
        </p>
      )}
    </div>
  );
}
