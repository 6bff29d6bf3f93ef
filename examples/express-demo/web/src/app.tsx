import { ChatProvider, ChatWidget } from '@confab/react';
import { useEffect, useRef } from 'react';
import { harborLabels } from './brand/harbor-labels';
import { SiteHeader } from './layout/site-header';
import { ChatPage } from './pages/chat-page';
import { NotFoundPage } from './pages/not-found-page';
import { OverviewPage } from './pages/overview-page';
import { matchRoute, type Route, usePathname } from './routing/router';
import { SignInPage } from './session/sign-in-page';
import { useSession } from './session/use-session';

export function App() {
  const session = useSession();
  if (session.isLoading) return <div className="app-loading" aria-busy="true" />;
  if (session.loadError) {
    return (
      <main className="message-page">
        <h1 className="message-page__title">Harbor can’t reach its server</h1>
        <p>{session.loadError.message}</p>
        <button type="button" className="button button--primary" onClick={() => session.retry()}>
          Try again
        </button>
      </main>
    );
  }
  if (!session.user) return <SignInPage />;
  // A new user gets a new ChatProvider (and so a new ChatClient): nothing of the previous
  // user's threads survives a sign-out in this tab.
  return <SignedInApp key={session.user} user={session.user} />;
}

function SignedInApp({ user }: { user: string }) {
  const route = matchRoute(usePathname());
  const main = useMainFocusOnPageChange(route);
  return (
    // The cookie the sign-in set goes with every same-origin request, so the endpoint is all
    // the provider needs: the demo server's devAuth() reads the user from it.
    <ChatProvider endpoint="/api/chat" labels={harborLabels} theme="light">
      <div className="app-shell" data-page={route.page}>
        <SiteHeader route={route} user={user} />
        <main id="main" ref={main} className="app-shell__main" tabIndex={-1}>
          {route.page === 'overview' ? <OverviewPage user={user} /> : null}
          {route.page === 'chat' ? <ChatPage threadId={route.threadId} /> : null}
          {route.page === 'not-found' ? <NotFoundPage /> : null}
        </main>
        <ChatWidget
          title="Harbor Assist"
          // On the Assistant page the bottom-right corner belongs to the composer's Send button;
          // the launcher moves to the foot of the chat list there.
          position={route.page === 'chat' ? 'bottom-left' : 'bottom-right'}
        />
      </div>
    </ChatProvider>
  );
}

/**
 * Moves focus to the page's content when the page (not the thread) changes, as a full page load
 * would: a screen-reader or keyboard user continues from the top of the new page.
 */
function useMainFocusOnPageChange(route: Route) {
  const main = useRef<HTMLElement>(null);
  const previousPage = useRef(route.page);
  useEffect(() => {
    if (previousPage.current === route.page) return;
    previousPage.current = route.page;
    main.current?.focus();
  }, [route.page]);
  return main;
}
