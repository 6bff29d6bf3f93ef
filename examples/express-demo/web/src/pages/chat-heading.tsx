import { useLabels, useThreadScope } from '@confab/react';
import type { Ref } from 'react';

export interface ChatHeadingProps {
  threadsOpen: boolean;
  onToggleThreads: () => void;
  toggleRef: Ref<HTMLButtonElement>;
}

/**
 * The bar above the conversation, in place of ChatView's default title: the same title (read from
 * the chat's ThreadScope, which `header` content is rendered inside), plus the button that opens
 * the list of chats on a phone, where the list is a drawer.
 */
export function ChatHeading({ threadsOpen, onToggleThreads, toggleRef }: ChatHeadingProps) {
  const { thread } = useThreadScope();
  const labels = useLabels();
  return (
    <div className="chat-heading">
      <button
        ref={toggleRef}
        type="button"
        className="chat-heading__threads-toggle"
        aria-expanded={threadsOpen}
        aria-controls="chat-threads"
        aria-label={threadsOpen ? labels.hideThreads : labels.showThreads}
        title={threadsOpen ? labels.hideThreads : labels.showThreads}
        onClick={onToggleThreads}
      >
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M3 5.5h14M3 10h14M3 14.5h14" />
        </svg>
      </button>
      <h2 className="chat-heading__title">{thread?.title ?? labels.untitledThread}</h2>
    </div>
  );
}
