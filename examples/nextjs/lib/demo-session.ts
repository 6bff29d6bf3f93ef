import type { ChatAuth } from '@confab/server';

/**
 * The demo's sign-in: a name in a cookie, no password. It stands in for your real auth (Auth.js,
 * Clerk, Supabase Auth, `jwtAuth()`), which is what decides `userId` in an app you deploy.
 *
 * It follows `devAuth()`'s rule (the caller names themselves) but is written out here because
 * `devAuth()` refuses `NODE_ENV=production`, which `next build` and `next start` always set. Only
 * the cookie counts, never a header, so a user is only who the page's sign-in made them.
 *
 * Edge-safe (no Node.js API): both the Node.js and the Edge route use it.
 */
export const sessionCookie = 'confab_user';

const userName = /^[\p{L}\p{N}_.@-]{1,64}$/u;

/** The name if it is one the demo accepts (letters, digits, `_ . @ -`, up to 64), else null. */
export function acceptedUserName(name: string | undefined | null): string | null {
  const trimmed = name?.trim() ?? '';
  return userName.test(trimmed) ? trimmed : null;
}

/** The signed-in user named by a request's `Cookie` header, or null. */
export function sessionUser(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== sessionCookie) continue;
    try {
      return acceptedUserName(decodeURIComponent(pair.slice(separator + 1).trim()));
    } catch {
      return null;
    }
  }
  return null;
}

/** The chat API's `auth`: the cookie's user, or null (answered 401). */
export const demoAuth: ChatAuth = (request) => {
  const user = sessionUser(request.headers.get('cookie'));
  return user ? { userId: user } : null;
};
