import type { Message } from '@confab/core';
import { prepareMarkdown } from './markdown-cache';

/**
 * What `Message` can do for a message before it mounts: render the markdown of a settled
 * answer (its text and reasoning), so that when it scrolls into view React only has to mount
 * it. Returns whether there was work to do. The user's text is shown as written: nothing to do.
 */
export function prepareMessage(message: Message): boolean {
  if (message.role === 'user' || message.status === 'streaming' || message.status === 'pending') {
    return false;
  }
  let worked = false;
  for (const part of message.parts) {
    if ((part.type === 'text' || part.type === 'reasoning') && prepareMarkdown(part.text)) {
      worked = true;
    }
  }
  return worked;
}
