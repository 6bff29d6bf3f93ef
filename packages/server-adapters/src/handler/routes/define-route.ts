import { ConfabError } from '@confab/core';
import type { Hono } from 'hono';
import type { ChatScope } from '../../store/chat-store';
import { errorResponse } from '../http';
import { checkPathIds } from '../path-ids';
import type { RouteContext, RouteEnv } from './route-env';

export type RouteHandler = (context: RouteContext) => Promise<Response>;

export interface RouteOptions {
  /** Answered without auth (health). */
  public?: boolean;
}

/**
 * Registers the methods of one path: each checks who is calling and the path's ids before it
 * runs, and any other method answers 405 with `allow`.
 */
export function defineRoute(
  app: Hono<RouteEnv>,
  authenticate: (request: Request) => Promise<ChatScope>,
  path: string,
  methods: Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', RouteHandler>>,
  options: RouteOptions = {},
): void {
  for (const [method, handler] of Object.entries(methods)) {
    app.on(method, path, async (context) => {
      context.set('scope', options.public ? { userId: '' } : await authenticate(context.req.raw));
      checkPathIds(context.req.param() as Record<string, string>);
      return handler(context);
    });
  }
  const allow = Object.keys(methods).join(', ');
  app.all(path, (context) =>
    errorResponse(
      new ConfabError(
        'method_not_allowed',
        `${context.req.method} is not allowed here. Allowed: ${allow}.`,
      ),
      { allow },
    ),
  );
}
