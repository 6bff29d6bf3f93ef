import type { Hono } from 'hono';
import { parseEventPosition } from '../../events/event-position';
import { threadStream } from '../../events/thread-stream';
import type { ChatScope } from '../../store/chat-store';
import type { ChatApi } from '../chat-api';
import { defineRoute } from './define-route';
import { pathParam, type RouteEnv } from './route-env';

/**
 * `GET /threads/:threadId/events`: everything that happens to the thread, from any instance,
 * resumed after `Last-Event-ID` (or `?after=`).
 */
export function eventRoutes(
  app: Hono<RouteEnv>,
  api: ChatApi,
  authenticate: (request: Request) => Promise<ChatScope>,
): void {
  defineRoute(app, authenticate, '/threads/:threadId/events', {
    GET: async (context) => {
      const { scope } = context.var;
      const threadId = pathParam(context, 'threadId');
      await api.visibleThread(scope, threadId);
      const after = context.req.query('after') || context.req.header('last-event-id');
      const stream = await threadStream({
        ...api.streamOptions(scope, threadId),
        ...(after ? { after: parseEventPosition(after) } : {}),
      });
      return stream.response;
    },
  });
}
