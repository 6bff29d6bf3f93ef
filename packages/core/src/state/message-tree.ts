import type { Message } from '../schemas/message';

/**
 * A thread's messages as the tree they form through `parentId`. The children of one parent are
 * the versions of one turn (an edited question, a regenerated answer), oldest first; the branch
 * of a leaf is the chain of parents from the root down to it. Every part that walks a thread
 * (the stores without SQL, the client, the model's context) walks it through this class, so they
 * agree on what "the branch" is.
 */
export class MessageTree {
  readonly #byId = new Map<string, Message>();
  readonly #children = new Map<string | null, Message[]>();
  #newest: Message | undefined;

  constructor(messages: Iterable<Message>) {
    const sorted = [...messages].sort((a, b) => a.sequence - b.sequence);
    for (const message of sorted) {
      this.#byId.set(message.id, message);
      const siblings = this.#children.get(message.parentId);
      if (siblings) siblings.push(message);
      else this.#children.set(message.parentId, [message]);
    }
    this.#newest = sorted.at(-1);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Message | undefined {
    return this.#byId.get(id);
  }

  /** The messages answering `parentId` (null: the thread's first turns), oldest first. */
  children(parentId: string | null): readonly Message[] {
    return this.#children.get(parentId) ?? [];
  }

  /** The versions of `id`'s turn, itself included, oldest first; empty when `id` is unknown. */
  versions(id: string): readonly Message[] {
    const message = this.#byId.get(id);
    return message ? this.children(message.parentId) : [];
  }

  /**
   * Where a branch that reaches `id` ends: following the newest child down from it, so that
   * choosing a version shows that version's latest continuation. Without `id`, the newest
   * message of the thread, which is always a leaf (a child is newer than its parent).
   */
  leafOf(id?: string): Message | undefined {
    let at = id === undefined ? this.#newest : this.#byId.get(id);
    while (at) {
      const newest = this.#children.get(at.id)?.at(-1);
      if (!newest) break;
      at = newest;
    }
    return at;
  }

  /** The branch that ends at `leafId`, from the root down, oldest first; empty when unknown. */
  branch(leafId: string): Message[] {
    const chain: Message[] = [];
    let at = this.#byId.get(leafId);
    while (at) {
      chain.push(at);
      at = at.parentId === null ? undefined : this.#byId.get(at.parentId);
    }
    return chain.reverse();
  }

  /** `id` and every message below it, parents before their children. */
  subtree(id: string): Message[] {
    const root = this.#byId.get(id);
    if (!root) return [];
    const found = [root];
    for (let index = 0; index < found.length; index++) {
      found.push(...this.children(found[index]!.id));
    }
    return found;
  }
}
