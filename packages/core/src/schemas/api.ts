import * as z from 'zod/mini';
import { idSchema } from './ids';
import { type Message, messageSchema } from './message';
import { threadSchema } from './thread';

/** One page of a list, with the cursor of the next page (null on the last). */
export function pageSchema<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const threadPageSchema = pageSchema(threadSchema);
/**
 * A page of a thread's current branch. `versions`: for each message of the page that has other
 * versions, the ids of all of them, itself included, oldest first.
 */
export const messagePageSchema = z.extend(pageSchema(messageSchema), {
  versions: z._default(z.record(idSchema, z.array(idSchema)), {}),
});

export interface MessagePage extends Page<Message> {
  versions: Record<string, string[]>;
}

export const versionListSchema = z.object({ items: z.array(messageSchema) });

export const deleteMessageResultSchema = z.object({
  deleted: z.number().check(z.int(), z.nonnegative()),
});

export const sendMessageResultSchema = z.object({
  userMessage: messageSchema,
  message: messageSchema,
  thread: threadSchema,
});

export const stopResultSchema = z.object({
  stopped: z.boolean(),
  messageId: z.nullable(idSchema),
});

export const modelInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  contextWindow: z.nullable(z.number().check(z.int(), z.positive())),
});

export const modelListSchema = z.object({
  items: z.array(modelInfoSchema),
  defaultModel: z.string(),
});

export const healthSchema = z.object({ status: z.literal('ok'), time: z.string() });

export type SendMessageResult = z.infer<typeof sendMessageResultSchema>;
export type StopResult = z.infer<typeof stopResultSchema>;
export type DeleteMessageResult = z.infer<typeof deleteMessageResultSchema>;
export type ModelInfo = z.infer<typeof modelInfoSchema>;
export type ModelList = z.infer<typeof modelListSchema>;
export type Health = z.infer<typeof healthSchema>;
