'use client';

import { AlertIcon, PlusIcon } from '../internal/icons';
import type { ChatLabels } from '../provider/labels';

export interface ThreadNotFoundProps {
  labels: ChatLabels;
  onNewChat: () => void;
}

/**
 * Shown in place of the messages when the thread does not exist for this user: deleted, or
 * someone else's (the server answers 404 for both, and so do we).
 */
export function ThreadNotFound({ labels, onNewChat }: ThreadNotFoundProps) {
  return (
    <div className="confab-chat-view__not-found" data-state="not-found">
      <div className="confab-chat-view__not-found-icon">
        <AlertIcon />
      </div>
      <h2 className="confab-chat-view__not-found-title">{labels.threadNotFound}</h2>
      <p className="confab-chat-view__not-found-description">{labels.threadNotFoundDescription}</p>
      <button type="button" className="confab-button" data-variant="primary" onClick={onNewChat}>
        <PlusIcon />
        {labels.newChat}
      </button>
    </div>
  );
}
