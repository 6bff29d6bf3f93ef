import type { Part, Role, Thread } from '@confab/core';
import type { ChatScope, ChatStore } from '@confab/server';
import type { SeedMessage, SeedThread } from './scenario';

/** The id of the demo model, which seeded answers name unless told otherwise. */
export const DEMO_MODEL_ID = 'confab-demo';

export interface SeedMessagesOptions {
  /** The role of the first message. Default `user`. */
  startWith?: Extract<Role, 'user' | 'assistant'>;
  /** The text of message `index` (0-based), instead of the generated conversation. */
  text?: (index: number, role: Role) => string;
}

const topics = [
  'streaming answers over server-sent events',
  'keeping a thread when the page reloads',
  'stopping an answer halfway',
  'theming the widget with CSS custom properties',
  'paging through a long history',
  'switching between models',
  'signing in with a JSON web token',
];

/**
 * A deterministic conversation of `count` messages, user and assistant taking turns. Each message
 * says its number, so a story or a test can look one up; every seventh answer has a code block and
 * a list, so long threads mix short and tall rows like a real one.
 */
export function seedMessages(count: number, options: SeedMessagesOptions = {}): SeedMessage[] {
  const first = options.startWith ?? 'user';
  const second = first === 'user' ? 'assistant' : 'user';
  const messages: SeedMessage[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const role: Role = index % 2 === 0 ? first : second;
    const text = options.text?.(index, role) ?? generatedText(index, role);
    messages[index] = { role, text };
  }
  return messages;
}

function generatedText(index: number, role: Role): string {
  const topic = topics[Math.floor(index / 2) % topics.length]!;
  const number = index + 1;
  if (role === 'user') return `Message ${number}: how does Confab handle ${topic}?`;
  if (index % 7 !== 1) {
    return `Message ${number}: about **${topic}**, the short answer is that the server stores every message before the model is called, so nothing is lost.`;
  }
  return [
    `Message ${number}: here is how **${topic}** works, step by step:`,
    '1. The message is stored with its position in the thread.\n2. The answer streams, token by token.\n3. The final answer is stored with its status and usage.',
    "```ts\nconst thread = await client.backend.createThread();\nawait client.thread(thread.id).send('Hello!');\n```",
  ].join('\n\n');
}

/**
 * Writes the threads and their messages straight into the store, in order, as the story user. No
 * request goes through the API, so a 10,000-message thread is ready in a fraction of a second.
 */
export async function seedStore(
  store: ChatStore,
  scope: ChatScope,
  threads: readonly SeedThread[],
): Promise<Thread[]> {
  const created: Thread[] = [];
  for (const [index, seed] of threads.entries()) {
    created.push(await seedThread(store, scope, seed, `thread-${index + 1}`));
  }
  return created;
}

/** Writes one thread and its messages into the store; `fallbackId` when the seed has no id. */
export async function seedThread(
  store: ChatStore,
  scope: ChatScope,
  seed: SeedThread,
  fallbackId: string,
): Promise<Thread> {
  const threadId = seed.id ?? fallbackId;
  await store.createThread(scope, {
    id: threadId,
    title: seed.title ?? null,
    model: seed.model ?? null,
    metadata: seed.metadata ?? {},
  });
  const messages =
    typeof seed.messages === 'number' ? seedMessages(seed.messages) : (seed.messages ?? []);
  let parentId: string | null = null;
  for (const [index, message] of messages.entries()) {
    const stored = await store.appendMessage(scope, threadId, {
      id: message.id ?? `${threadId}-m${index + 1}`,
      parentId: message.parentId !== undefined ? message.parentId : parentId,
      role: message.role,
      authorId: message.role === 'user' ? scope.userId : null,
      parts: partsOf(message),
      status: message.status ?? 'complete',
      model: message.model !== undefined ? message.model : modelOf(message.role),
      metadata: {},
    });
    // The store takes an error only as an update, as it does when a real answer fails.
    if (message.error) {
      await store.updateMessage(scope, threadId, stored.id, { error: message.error });
    }
    parentId = stored.id;
  }
  // Archiving last: the store lists archived threads apart, and an update keeps the messages.
  const thread = seed.archived
    ? await store.updateThread(scope, threadId, { archived: true })
    : await store.getThread(scope, threadId);
  return thread!;
}

function partsOf(message: SeedMessage): Part[] {
  if (message.parts) return message.parts;
  return message.text === undefined ? [] : [{ type: 'text', text: message.text }];
}

function modelOf(role: Role): string | null {
  return role === 'assistant' ? DEMO_MODEL_ID : null;
}
