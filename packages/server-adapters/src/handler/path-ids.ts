import { ConfabError, idSchema } from '@confab/core';

const notFound: Record<string, string> = {
  threadId: 'Thread not found.',
  messageId: 'Message not found.',
};

/**
 * Refuses ids in the path that no thread or message can have (`/threads/%00`, a 300-character
 * id): such a thing cannot exist, so it is not found (404, the same answer as for an id nobody
 * used), and the store never sees characters its database would fail on (500).
 */
export function checkPathIds(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (!idSchema.safeParse(value).success) {
      throw new ConfabError('not_found', notFound[name] ?? 'Not found.');
    }
  }
}
