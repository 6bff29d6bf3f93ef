import type { ChatAuth } from './chat-auth';

export interface DevAuthOptions {
  /** The user of requests that name none. Default `demo`; null answers those 401. */
  defaultUser?: string | null;
  /** Default `x-confab-user`. */
  header?: string;
  /** Default `confab_user`. */
  cookie?: string;
}

const userName = /^[\p{L}\p{N}_.@-]{1,64}$/u;

/**
 * Development auth for demos: the caller names themselves with a header or cookie, no proof asked.
 * Refuses to be created when `NODE_ENV` is `production`.
 */
export function devAuth(options: DevAuthOptions = {}): ChatAuth {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  if (env?.NODE_ENV === 'production') {
    throw new Error(
      'devAuth() lets any caller pick their user and must not run with NODE_ENV=production. Use jwtAuth() or your own auth function.',
    );
  }
  const header = options.header ?? 'x-confab-user';
  const cookie = options.cookie ?? 'confab_user';
  const fallback = options.defaultUser === undefined ? 'demo' : options.defaultUser;
  return (request) => {
    const named = request.headers.get(header)?.trim() || readCookie(request, cookie);
    if (named === undefined || named === '') return fallback ? { userId: fallback } : null;
    return userName.test(named) ? { userId: named } : null;
  };
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
