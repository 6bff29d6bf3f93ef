import { ConfabError } from '@confab/core';
import { HttpResponse } from 'msw';
import type { ChatFailure, ChatRoute } from './scenario';

/**
 * Which operation of the chat API a request is, from its method and its path below the endpoint
 * (`/threads/t1/messages`). Null for a path the API does not have.
 */
export function routeOf(method: string, path: string): ChatRoute | null {
  const segments = path.split('/').filter(Boolean);
  const verb = method.toUpperCase();
  const [collection, threadId, action] = segments;
  if (collection === 'models' && segments.length === 1) return 'models';
  if (collection === 'health' && segments.length === 1) return 'health';
  if (collection !== 'threads') return null;
  if (threadId === undefined) return verb === 'POST' ? 'create-thread' : 'list-threads';
  if (action === undefined) {
    if (verb === 'PATCH') return 'update-thread';
    if (verb === 'DELETE') return 'delete-thread';
    return 'get-thread';
  }
  if (action === 'messages') {
    if (segments[4] === 'regenerate') return 'regenerate';
    return verb === 'POST' ? 'send' : 'history';
  }
  if (action === 'stop') return 'stop';
  return null;
}

/**
 * The response of a failing request, as the real server or the network would produce it. Null for
 * `model_error`, which the model raises during a send instead.
 */
export function failureResponse(failure: ChatFailure): Response | null {
  switch (failure) {
    case 'network':
      // Makes the page's fetch reject with a TypeError, exactly like a dropped connection.
      return HttpResponse.error();
    case 'server_error':
      return errorResponse(
        new ConfabError('internal_error', 'Something went wrong on the server.'),
      );
    case 'unauthorized':
      return errorResponse(new ConfabError('unauthorized', 'Sign in to use the chat API.'), {
        'www-authenticate': 'Bearer',
      });
    case 'rate_limited':
      return errorResponse(
        new ConfabError('rate_limited', 'Too many requests. Try again in a second.', {
          retryAfter: 1,
        }),
        { 'retry-after': '1' },
      );
    case 'model_error':
      return null;
  }
}

function errorResponse(error: ConfabError, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(error.toBody(), {
    status: error.status,
    headers: { 'cache-control': 'no-store', ...headers },
  });
}
