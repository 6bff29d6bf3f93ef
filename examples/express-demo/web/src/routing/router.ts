import { useSyncExternalStore } from 'react';

// A router the size of this app: the path lives in the URL, the History API changes it, and
// components read it through useSyncExternalStore. A larger app would use its own router; Confab's
// components only need a thread id and a callback, whatever provides them.

const navigationEvent = 'harbor:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(navigationEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(navigationEvent, onChange);
  };
}

const currentPath = () => window.location.pathname;

/** The current path, e.g. `/chat/3f2c…`. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (Back skips it). */
  replace?: boolean;
}

export function navigate(path: string, options: NavigateOptions = {}): void {
  if (path === currentPath()) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(navigationEvent));
}

export type Route =
  | { page: 'overview' }
  | { page: 'chat'; threadId: string | null }
  | { page: 'not-found' };

/** Which page a path shows. */
export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'overview' };
  if (path === '/chat') return { page: 'chat', threadId: null };
  const chat = /^\/chat\/([^/]+)$/.exec(path);
  if (chat) return { page: 'chat', threadId: decodeURIComponent(chat[1]!) };
  return { page: 'not-found' };
}

export const chatPath = (threadId: string | null) =>
  threadId ? `/chat/${encodeURIComponent(threadId)}` : '/chat';
