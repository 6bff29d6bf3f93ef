import { ChatProvider, ChatView, ThreadList } from '@confab/react';
import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { useMemo, useState } from 'react';
import { SignInPage } from './sign-in-page';
import { type SupabaseSettings, supabaseSettings } from './supabase-client';
import { useAuthSession } from './use-auth-session';

export function App() {
  const settings = useMemo(supabaseSettings, []);
  if ('missing' in settings) return <MissingSettings names={settings.missing} />;
  return <AuthGate settings={settings} />;
}

function AuthGate({ settings }: { settings: SupabaseSettings }) {
  const session = useAuthSession(settings.client);
  if (session === undefined) return <div className="page-loading" aria-busy="true" />;
  if (!session) return <SignInPage client={settings.client} />;
  // A new user gets a new provider, and with it a new client: nothing of the previous user's
  // threads survives a sign-out in this tab.
  return <ChatScreen key={session.user.id} session={session} settings={settings} />;
}

function ChatScreen({ session, settings }: { session: Session; settings: SupabaseSettings }) {
  const [threadId, setThreadId] = useState<string | null>(null);
  const { client, chatEndpoint } = settings;
  return (
    <ChatProvider endpoint={chatEndpoint} getToken={() => currentToken(client)}>
      <div className="chat-screen">
        <header className="chat-screen__header">
          <span className="chat-screen__title">Confab on Supabase</span>
          <span className="chat-screen__user">{session.user.email}</span>
          <button type="button" className="button" onClick={() => client.auth.signOut()}>
            Sign out
          </button>
        </header>
        <div className="chat-screen__body">
          <nav className="chat-screen__threads" aria-label="Chats">
            <ThreadList
              selectedThreadId={threadId}
              onSelect={setThreadId}
              onNewChat={() => setThreadId(null)}
            />
          </nav>
          <main className="chat-screen__chat">
            <ChatView threadId={threadId} onThreadChange={setThreadId} showModelPicker />
          </main>
        </div>
      </div>
    </ChatProvider>
  );
}

/**
 * The access token of the current session, read per request: supabase-js refreshes it before it
 * expires, and the function checks it and hands its claims to the database.
 */
async function currentToken(client: SupabaseClient): Promise<string | null> {
  const { data } = await client.auth.getSession();
  return data.session?.access_token ?? null;
}

function MissingSettings({ names }: { names: string[] }) {
  return (
    <main className="notice">
      <h1>Almost there</h1>
      <p>
        This page needs your Supabase project's settings. Copy <code>web/.env.example</code> to{' '}
        <code>web/.env.local</code>, set{' '}
        {names.map((name) => (
          <code key={name}>{name} </code>
        ))}
        and restart <code>pnpm dev</code>.
      </p>
    </main>
  );
}
