import { memoryStore } from '@confab/server';
import { chatRoute } from '@confab/server/next';
import { demoAuth } from '../../../../lib/demo-session';
import { modelFromEnv } from '../../../../lib/model-from-env';

// The same API on the Edge runtime, under /api/edge-chat. No Node.js API is available here, so
// the store is in memory: threads last as long as this server process. A deployed Edge route
// would use a store reached over fetch or a database driver that runs on the Edge.
export const runtime = 'edge';

export const { GET, POST, PUT, PATCH, DELETE } = chatRoute({
  store: memoryStore(),
  model: modelFromEnv(),
  auth: demoAuth,
});
