'use client';

import { ChatProvider, ChatView, ThreadList } from '@confab/react';
import { useId, useState } from 'react';
import { useSessionAction } from './use-session-action';

/** The two mounts of the same API in this app, one per runtime. */
const runtimes = [
  {
    endpoint: '/api/chat',
    label: 'Node.js',
    detail: 'app/api/chat/[...confab]/route.ts: SQLite (or PostgreSQL), kept across restarts',
  },
  {
    endpoint: '/api/edge-chat',
    label: 'Edge',
    detail: 'app/api/edge-chat/[...confab]/route.ts: in memory, gone when the server stops',
  },
] as const;

type Endpoint = (typeof runtimes)[number]['endpoint'];

const suggestions = [
  'What can you do?',
  'Write a long story so I can press stop',
  'Show me some TypeScript',
];

export function ChatApp({ user }: { user: string }) {
  const [endpoint, setEndpoint] = useState<Endpoint>('/api/chat');
  const { signOut, pending } = useSessionAction();
  const runtimeHint = useId();
  const current = runtimes.find((runtime) => runtime.endpoint === endpoint)!;

  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__title">Confab on Next.js</h1>
        <fieldset className="runtime-switch" aria-describedby={runtimeHint}>
          <legend className="visually-hidden">Route runtime</legend>
          {runtimes.map((runtime) => (
            <label key={runtime.endpoint} className="runtime-switch__option">
              <input
                type="radio"
                name="runtime"
                value={runtime.endpoint}
                checked={endpoint === runtime.endpoint}
                onChange={() => setEndpoint(runtime.endpoint)}
              />
              {runtime.label}
            </label>
          ))}
        </fieldset>
        <p id={runtimeHint} className="app__hint">
          <code>{current.detail}</code>
        </p>
        <div className="app__account">
          <span>
            Signed in as <strong>{user}</strong>
          </span>
          <button type="button" className="button" onClick={signOut} disabled={pending}>
            Sign out
          </button>
        </div>
      </header>
      {/* One provider (one ChatClient and query cache) per endpoint: switching runtime shows
          that route's own threads. */}
      <ChatProvider key={endpoint} endpoint={endpoint}>
        <ChatPanel />
      </ChatProvider>
    </div>
  );
}

function ChatPanel() {
  const [threadId, setThreadId] = useState<string | null>(null);
  return (
    <div className="chat">
      {/* ThreadList is itself a navigation landmark named "Chats". */}
      <div className="chat__threads">
        <ThreadList
          selectedThreadId={threadId}
          onSelect={setThreadId}
          onNewChat={() => setThreadId(null)}
        />
      </div>
      <main className="chat__main">
        <ChatView
          className="chat__view"
          threadId={threadId}
          onThreadChange={setThreadId}
          suggestions={suggestions}
          showModelPicker
        />
      </main>
    </div>
  );
}
