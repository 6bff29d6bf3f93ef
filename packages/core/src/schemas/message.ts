import { z } from 'zod';
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

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  reasoningTokens: z.number().int().nonnegative().nullable().optional(),
});

export const messageSchema = z.object({
  id: idSchema,
  threadId: idSchema,
  /**
   * The message this one answers or follows. Siblings (same parent) are versions of one turn:
   * an edited question or a regenerated answer.
   */
  parentId: idSchema.nullable(),
  role: roleSchema,
  /** The user who wrote it (user messages); null for the assistant. */
  authorId: z.string().nullable(),
  parts: z.array(messagePartSchema),
  status: messageStatusSchema,
  model: z.string().nullable(),
  usage: usageSchema.nullable(),
  error: errorDetailSchema.nullable(),
  /** Position in the thread, increasing by one per stored message. */
  sequence: z.number().int().nonnegative(),
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
