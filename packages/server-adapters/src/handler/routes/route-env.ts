import type { Context } from 'hono';
import type { ChatScope } from '../../store/chat-store';

/** What the routes read from a request's context: who is calling. */
export interface RouteEnv {
  Variables: { scope: ChatScope };
}

export type RouteContext = Context<RouteEnv>;

/** A parameter of the matched path (the route's pattern names it, so it is there). */
export function pathParam(context: RouteContext, name: string): string {
  return context.req.param(name) ?? '';
}
