import type { MessagePage } from '../schemas/api';
import type { Message } from '../schemas/message';

/** Per shown message with other versions: the ids of all of them, itself included, oldest first. */
export type Versions = Readonly<Record<string, readonly string[]>>;

/**
 * The part of a thread's tree that a client shows: the current branch as far as it is loaded
 * (a chain of parents, oldest first) and the versions of its turns. A client never holds the
 * whole tree; what is off the branch is known only by id, through `versions`.
 */
export interface Branch {
  messages: Message[];
  versions: Versions;
}

/**
 * Places a message the server reports (created or updated) in the branch: in place when it is on
 * it, at the end when it follows the last message, as another version of a turn when it answers
 * a message higher up. With `follow`, that new version becomes the shown one (the branch is cut
 * below its parent). A message whose parent is not loaded is left out. Returns `branch` itself
 * when nothing changed.
 */
export function placeMessage(branch: Branch, message: Message, follow = false): Branch {
  const { messages } = branch;
  const index = lastIndexOf(messages, message.id);
  if (index >= 0) {
    const next = messages.slice();
    next[index] = message;
    return { ...branch, messages: next };
  }
  const parent = parentIndex(messages, message.parentId);
  if (parent === undefined) {
    return messages.length === 0 ? { ...branch, messages: [message] } : branch;
  }
  if (parent === messages.length - 1) return { ...branch, messages: [...messages, message] };
  const versions = addVersion(branch.versions, messages[parent + 1]!.id, message.id);
  return follow
    ? { messages: [...messages.slice(0, parent + 1), message], versions }
    : { messages, versions };
}

/**
 * The branch without the message at `index` and what follows it, with `versionId` (a message
 * about to be created beside it) counted among its versions.
 */
export function branchBefore(branch: Branch, index: number, versionId?: string): Branch {
  const cut = branch.messages[index];
  if (!cut) return branch;
  return {
    messages: branch.messages.slice(0, index),
    versions: versionId ? addVersion(branch.versions, cut.id, versionId) : branch.versions,
  };
}

/**
 * The branch once `messageId` and everything below it are gone: cut there when it is shown,
 * and dropped from the versions of its turn either way.
 */
export function removeMessage(branch: Branch, messageId: string): Branch {
  const index = lastIndexOf(branch.messages, messageId);
  const versions = removeVersion(branch.versions, messageId);
  if (index < 0) return versions === branch.versions ? branch : { ...branch, versions };
  return { messages: branch.messages.slice(0, index), versions };
}

/**
 * The branch after a fresh first page of it: where the page continues the loaded branch (its
 * oldest message, or that one's parent, is on it), the older messages loaded are kept above it; otherwise the page is
 * all there is. `keptOlder` says whether older messages were kept (the cursor to page further
 * up is then the loaded branch's, not the page's).
 */
export function withNewestPage(
  branch: Branch,
  page: MessagePage,
): { branch: Branch; keptOlder: boolean } {
  const first = page.items[0];
  let at = first ? lastIndexOf(branch.messages, first.id) : -1;
  // The page may also start right below the loaded branch (after a delete, say).
  if (at < 0 && first?.parentId) {
    const parent = lastIndexOf(branch.messages, first.parentId);
    if (parent >= 0) at = parent + 1;
  }
  if (at <= 0) {
    return { branch: { messages: page.items, versions: page.versions }, keptOlder: false };
  }
  const older = branch.messages.slice(0, at);
  const versions: Record<string, readonly string[]> = {};
  for (const message of older) {
    const ids = branch.versions[message.id];
    if (ids) versions[message.id] = ids;
  }
  return {
    branch: { messages: [...older, ...page.items], versions: { ...versions, ...page.versions } },
    keptOlder: true,
  };
}

/** The branch with an older page of it above what is loaded. */
export function withOlderPage(branch: Branch, page: MessagePage): Branch {
  const known = new Set(branch.messages.map((message) => message.id));
  const older = page.items.filter((message) => !known.has(message.id));
  return {
    messages: [...older, ...branch.messages],
    versions: { ...page.versions, ...branch.versions },
  };
}

/** `versions` with `id` counted as another version of `siblingId`'s turn. */
function addVersion(versions: Versions, siblingId: string, id: string): Versions {
  const ids = versions[siblingId] ?? [siblingId];
  if (ids.includes(id)) return versions;
  return withGroup(versions, [...ids, id]);
}

/** `versions` without `id`; its siblings count one version fewer. */
function removeVersion(versions: Versions, id: string): Versions {
  const ids = versions[id];
  if (!ids) return versions;
  const { [id]: _removed, ...rest } = versions;
  return withGroup(
    rest,
    ids.filter((other) => other !== id),
  );
}

function withGroup(versions: Versions, ids: readonly string[]): Versions {
  const next: Record<string, readonly string[]> = { ...versions };
  for (const id of ids) {
    if (ids.length > 1) next[id] = ids;
    else delete next[id];
  }
  return next;
}

/**
 * Where the parent of a message is in the branch: its index, -1 for a first message of a
 * branch that starts at the thread's first turn, undefined when it is not loaded.
 */
function parentIndex(messages: Message[], parentId: string | null): number | undefined {
  if (parentId === null)
    return messages.length === 0 || messages[0]!.parentId === null ? -1 : undefined;
  const index = lastIndexOf(messages, parentId);
  return index < 0 ? undefined : index;
}

/** The index of a message in the branch; new messages come at the end, so search from there. */
export function lastIndexOf(messages: readonly Message[], id: string): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.id === id) return index;
  }
  return -1;
}
