import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from 'express';
import {
  type ChatHandler,
  type ChatHandlerOptions,
  createChatHandler,
} from '../handler/create-chat-handler';
import { type FetchHandler, sendFetchResponse, toFetchRequest } from '../node/node-adapter';

export type ExpressChatMiddleware = ((
  request: ExpressRequest,
  response: ExpressResponse,
  next: NextFunction,
) => Promise<void>) & { handler: FetchHandler };

/**
 * Serves the chat API from an Express 5 app or router:
 * `app.use('/api/chat', chatMiddleware({ store, model, auth }))`.
 * Routes are matched against the path below the mount point, so leave `basePath` unset.
 * Works with or without `express.json()` in front of it.
 */
export function chatMiddleware(
  handlerOrOptions: ChatHandler | FetchHandler | ChatHandlerOptions,
): ExpressChatMiddleware {
  const handler: FetchHandler =
    typeof handlerOrOptions === 'function' ? handlerOrOptions : createChatHandler(handlerOrOptions);
  const middleware = async (
    request: ExpressRequest,
    response: ExpressResponse,
    next: NextFunction,
  ) => {
    try {
      const result = await handler(toFetchRequest(request, response));
      await sendFetchResponse(result, response);
    } catch (error) {
      next(error);
    }
  };
  return Object.assign(middleware, { handler });
}
