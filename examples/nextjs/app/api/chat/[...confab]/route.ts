import { chatRoute } from '@confab/server/next';
import { nodeChatHandler } from '../../../../lib/node-chat-handler';

// The whole chat API under /api/chat, on the Node.js runtime: the SQLite file (or PostgreSQL)
// needs Node. The handler sees the path below /api/chat, derived from the URL and `confab`.
export const runtime = 'nodejs';

export const { GET, POST, PUT, PATCH, DELETE } = chatRoute(async (request) =>
  (await nodeChatHandler())(request),
);
