'use client';

import type { ReactNode } from 'react';
import { ModelPicker } from '../model-picker/model-picker';
import type { ChatLabels } from '../provider/labels';
import { useThreadScope } from '../provider/thread-scope';

export interface ChatViewHeaderProps {
  /** Replaces the thread's title. */
  children?: ReactNode;
  showModelPicker: boolean;
  model: string | undefined;
  onModelChange: (modelId: string) => void;
  labels: ChatLabels;
  labelOverrides: Partial<ChatLabels> | undefined;
}

/** The bar above the messages: the thread's title (or the host's content) and the model. */
export function ChatViewHeader({
  children,
  showModelPicker,
  model,
  onModelChange,
  labels,
  labelOverrides,
}: ChatViewHeaderProps) {
  const { thread } = useThreadScope();
  return (
    <div className="confab-chat-view__header">
      <div className="confab-chat-view__heading">
        {children ?? (
          <h2 className="confab-chat-view__title">{thread?.title ?? labels.untitledThread}</h2>
        )}
      </div>
      {showModelPicker && (
        <ModelPicker
          className="confab-chat-view__model"
          value={model ?? thread?.model ?? undefined}
          onChange={onModelChange}
          labels={labelOverrides}
        />
      )}
    </div>
  );
}
