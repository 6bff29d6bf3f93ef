import { z } from 'zod';
import { idSchema } from './ids';
import { type Message, messageSchema } from './message';
import { metadataInputSchema } from './metadata';
import { userPartSchema } from './part';
import { storableString } from './text';
import { threadSchema } from './thread';

/** One page of a list, with the cursor of the next page (null on the last). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
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
export const messagePageSchema = pageSchema(messageSchema).extend({
  versions: z.record(idSchema, z.array(idSchema)).default({}),
});

export interface MessagePage extends Page<Message> {
  versions: Record<string, string[]>;
}

const limitSchema = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const listThreadsQuerySchema = z.object({
  limit: limitSchema(100, 20),
  cursor: z.string().min(1).max(512).optional(),
  archived: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});

export const listMessagesQuerySchema = z.object({
  limit: limitSchema(200, 50),
  /** Cursor from a previous page: returns the messages before it. */
  before: z.string().min(1).max(512).optional(),
});

const titleSchema = storableString().trim().min(1).max(500);
const modelIdSchema = z.string().min(1).max(200);

export const createThreadBodySchema = z.strictObject({
  id: idSchema.optional(),
  title: titleSchema.nullable().optional(),
  model: modelIdSchema.nullable().optional(),
  metadata: metadataInputSchema.optional(),
});

export const updateThreadBodySchema = z
  .strictObject({
    title: titleSchema.nullable().optional(),
    model: modelIdSchema.nullable().optional(),
    metadata: metadataInputSchema.optional(),
    archived: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update.' });

export const sendMessageBodySchema = z
  .strictObject({
    /** A client-chosen id makes the send idempotent: a retry never stores the message twice. */
    id: idSchema.optional(),
    text: storableString().optional(),
    parts: z.array(userPartSchema).min(1).max(64).optional(),
    model: modelIdSchema.optional(),
    /** The message this one follows; defaults to the thread's latest message. */
    parentId: idSchema.nullable().optional(),
    metadata: metadataInputSchema.optional(),
  })
  .superRefine((body, context) => {
    if ((body.text === undefined) === (body.parts === undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'Send either "text" or "parts".',
        path: ['text'],
      });
    } else if (body.text !== undefined && body.text.trim() === '') {
      context.addIssue({ code: 'custom', message: 'The message is empty.', path: ['text'] });
    }
  });

export const regenerateBodySchema = z
  .strictObject({
    /** A client-chosen id for the new answer makes the request idempotent. */
    id: idSchema.optional(),
    /** The model to answer with; default the thread's, else the one the question was sent with. */
    model: modelIdSchema.optional(),
  })
  .optional();

export const stopBodySchema = z.strictObject({ messageId: idSchema.optional() }).optional();

export const sendMessageResultSchema = z.object({
  userMessage: messageSchema,
  message: messageSchema,
  thread: threadSchema,
});

export const stopResultSchema = z.object({
  stopped: z.boolean(),
  messageId: idSchema.nullable(),
});

export const modelInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  contextWindow: z.number().int().positive().nullable(),
});

export const modelListSchema = z.object({
  items: z.array(modelInfoSchema),
  defaultModel: z.string(),
});

export const healthSchema = z.object({ status: z.literal('ok'), time: z.string() });

export interface ListThreadsQuery {
  limit?: number;
  cursor?: string;
  /** List archived threads instead of active ones. */
  archived?: boolean;
}
export interface ListMessagesQuery {
  limit?: number;
  before?: string;
}
export type CreateThreadBody = z.infer<typeof createThreadBodySchema>;
export type UpdateThreadBody = z.infer<typeof updateThreadBodySchema>;
export type SendMessageBody = z.infer<typeof sendMessageBodySchema>;
export type RegenerateBody = NonNullable<z.infer<typeof regenerateBodySchema>>;
export type SendMessageResult = z.infer<typeof sendMessageResultSchema>;
export type StopResult = z.infer<typeof stopResultSchema>;
export type ModelInfo = z.infer<typeof modelInfoSchema>;
export type ModelList = z.infer<typeof modelListSchema>;
export type Health = z.infer<typeof healthSchema>;
