import type { Message } from '../schemas/message';

/**
 * The messages of the branch that ends at `leafId` (default: the newest message), oldest first:
 * the leaf, its parent, that one's parent, and so on. Earlier versions of a turn, such as an
 * answer that was regenerated, are off the branch and left out, and so is anything after the
 * leaf. Where the chain reaches a message without a parent, or a parent that is not in the list
 * (it is on a page not loaded yet), the older messages are kept as they are. Returns `messages` itself when nothing is left
 * out, so a caller can tell that nothing changed.
 */
export function currentBranch(messages: Message[], leafId?: string): Message[] {
  let at = messages.length - 1;
  if (at < 0) return messages;
  if (leafId !== undefined) {
    while (at >= 0 && messages[at]!.id !== leafId) at--;
    if (at < 0) return messages;
  }
  const positions = new Map<string, number>();
  for (let index = 0; index < at; index++) positions.set(messages[index]!.id, index);
  const kept: Message[] = [];
  let skipped = at < messages.length - 1;
  while (true) {
    const message = messages[at]!;
    kept.push(message);
    const parent = message.parentId === null ? undefined : positions.get(message.parentId);
    if (parent === undefined) {
      // The parent is on a page not loaded, or not recorded (messages stored without parent
      // ids): keep what comes before, as it is.
      for (let index = at - 1; index >= 0; index--) kept.push(messages[index]!);
      break;
    }
    skipped ||= parent !== at - 1;
    at = parent;
  }
  return skipped ? kept.reverse() : messages;
}
