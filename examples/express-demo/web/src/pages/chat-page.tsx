import { ChatView, ThreadList } from '@confab/react';
import { useEffect, useRef, useState } from 'react';
import { chatPath, navigate } from '../routing/router';
import { ChatHeading } from './chat-heading';

/**
 * The Assistant: Confab's thread list beside its chat view. The selected thread lives in the
 * URL (`/chat/<id>`), so a reload, a bookmark or Back keeps it; `/chat` is a new chat whose
 * first message creates the thread. On a phone the list becomes a drawer over the chat.
 */
export function ChatPage({ threadId }: { threadId: string | null }) {
  const [showThreads, setShowThreads] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLDivElement>(null);
  const main = useRef<HTMLDivElement>(null);

  useEffect(() => {
    document.title = 'Assistant · Harbor';
  }, []);

  // While the drawer is open the chat under it takes no focus or clicks, focus moves into the
  // list, and Escape closes it (unless it is cancelling a rename inside).
  useEffect(() => {
    if (main.current) main.current.inert = showThreads;
    if (!showThreads) return;
    const current = sidebar.current?.querySelector<HTMLElement>('[aria-current="page"]');
    (current ?? sidebar.current?.querySelector<HTMLElement>('button'))?.focus();
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof HTMLInputElement) return;
      setShowThreads(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', closeOnEscape);
    return () => document.removeEventListener('keydown', closeOnEscape);
  }, [showThreads]);

  const closeThreads = () => {
    setShowThreads(false);
    toggle.current?.focus();
  };

  const select = (nextThreadId: string | null) => {
    setShowThreads(false);
    navigate(chatPath(nextThreadId));
  };

  return (
    <div className="chat-page" data-threads-open={showThreads || undefined}>
      <h1 className="visually-hidden">Assistant</h1>
      <div ref={sidebar} className="chat-page__sidebar" id="chat-threads">
        <ThreadList
          className="chat-page__threads"
          selectedThreadId={threadId}
          onSelect={select}
          onNewChat={() => select(null)}
        />
      </div>
      {showThreads ? (
        <button
          type="button"
          className="chat-page__backdrop"
          aria-label="Hide chats"
          tabIndex={-1}
          onClick={closeThreads}
        />
      ) : null}
      <div ref={main} className="chat-page__main">
        <ChatView
          className="chat-page__chat"
          threadId={threadId}
          // A new chat's first message creates its thread, and "New chat" on a thread that is
          // gone clears it: the same page either way, so no new history entry.
          onThreadChange={(nextThreadId) => navigate(chatPath(nextThreadId), { replace: true })}
          showModelPicker
          header={
            <ChatHeading
              threadsOpen={showThreads}
              onToggleThreads={() => setShowThreads((open) => !open)}
              toggleRef={toggle}
            />
          }
        />
      </div>
    </div>
  );
}
