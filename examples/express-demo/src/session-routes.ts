import { devAuth } from '@confab/server';
import express, { type Request as ExpressRequest, type Router } from 'express';

export interface SessionRoutesOptions {
  /** The cookie `devAuth()` reads the user from. Default `confab_user`. */
  cookie?: string;
}

const thirtyDays = 30 * 24 * 60 * 60 * 1000;

/**
 * Sign-in by name for the demo page: `GET /` says who the cookie names, `POST /` with
 * `{ "name": "ada" }` sets the cookie, `DELETE /` clears it. The chat API never sees these
 * routes: `devAuth()` simply reads the same cookie on every request.
 *
 * The server sets the cookie (rather than the page's script) so it can be `HttpOnly` and so a
 * name `devAuth()` would refuse is turned away here, with a message, instead of every later
 * chat request answering 401.
 */
export function sessionRoutes(options: SessionRoutesOptions = {}): Router {
  const cookie = options.cookie ?? 'confab_user';
  // The same reader the chat API uses, minus its fallback user: no cookie means signed out.
  const signedInUser = devAuth({ defaultUser: null, cookie });
  const router = express.Router();

  router.get('/', async (request, response) => {
    response.setHeader('cache-control', 'no-store');
    const user = await signedInUser(toFetchRequest(request));
    response.json({ user: user?.userId ?? null });
  });

  router.post('/', express.json({ limit: '1kb' }), async (request, response) => {
    const name = typeof request.body?.name === 'string' ? request.body.name.trim() : '';
    const accepted = name
      ? await signedInUser(
          new Request('http://session.local/', {
            headers: { cookie: `${cookie}=${encodeURIComponent(name)}` },
          }),
        )
      : null;
    if (!accepted) {
      response.status(400).json({
        error: {
          code: 'invalid_name',
          message: name
            ? 'Use up to 64 letters, digits, dots, dashes, underscores or @, without spaces.'
            : 'Type a name to sign in.',
        },
      });
      return;
    }
    response.cookie(cookie, accepted.userId, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: thirtyDays,
    });
    response.json({ user: accepted.userId });
  });

  router.delete('/', (_request, response) => {
    response.clearCookie(cookie, { httpOnly: true, sameSite: 'lax', path: '/' });
    response.json({ user: null });
  });

  return router;
}

/** Only the cookie matters to `devAuth()`; the header is left out so it cannot name the user here. */
function toFetchRequest(request: ExpressRequest): Request {
  const headers = new Headers();
  if (request.headers.cookie) headers.set('cookie', request.headers.cookie);
  return new Request('http://session.local/', { headers });
}
