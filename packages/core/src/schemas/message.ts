import * as z from 'zod/mini';
import { errorDetailSchema } from './error-body';
import { idSchema, metadataSchema, timestampSchema } from './ids';
import { messagePartSchema } from './part';

export const roleSchema = z.enum(['user', 'assistant', 'system']);

export const messageStatusSchema = z.enum([
  'pending',
  'streaming',
  'complete',
  'failed',
  'cancelled',
]);

/** A whole number of things, zero or more. */
const count = () => z.number().check(z.int(), z.nonnegative());

export const usageSchema = z.object({
  inputTokens: z.nullable(count()),
  outputTokens: z.nullable(count()),
  reasoningTokens: z.optional(z.nullable(count())),
});

export const messageSchema = z.object({
  id: idSchema,
  threadId: idSchema,
  /**
   * The message this one answers or follows. Siblings (same parent) are versions of one turn:
   * an edited question or a regenerated answer.
   */
  parentId: z.nullable(idSchema),
  role: roleSchema,
  /** The user who wrote it (user messages); null for the assistant. */
  authorId: z.nullable(z.string()),
  parts: z.array(messagePartSchema),
  status: messageStatusSchema,
  model: z.nullable(z.string()),
  usage: z.nullable(usageSchema),
  error: z.nullable(errorDetailSchema),
  /** Position in the thread, increasing by one per stored message. */
  sequence: count(),
  metadata: metadataSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});

export type Role = z.infer<typeof roleSchema>;
export type MessageStatus = z.infer<typeof messageStatusSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type Message = z.infer<typeof messageSchema>;

/** The text of a message: its text parts joined. */
export function messageText(message: Pick<Message, 'parts'>): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}
