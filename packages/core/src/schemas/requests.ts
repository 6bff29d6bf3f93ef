import * as z from 'zod/mini';
import { idSchema } from './ids';
import { metadataInputSchema } from './metadata';
import { filePartSchema, textPartSchema } from './part';
import { storableString } from './text';

// What a client sends: the bodies and queries the server validates. A module of their own, so
// that a client, which only reads answers, does not ship them.

/**
 * What a user may send: text and files, with strings every store can hold (the parts of `part.ts`
 * also read what is already stored, so they stay lenient).
 */
export const userPartSchema = z.discriminatedUnion('type', [
  z.extend(textPartSchema, { text: storableString() }),
  z.extend(filePartSchema, {
    mediaType: storableString().check(z.minLength(1), z.maxLength(255)),
    url: storableString().check(z.minLength(1)),
    filename: z.optional(storableString().check(z.maxLength(1024))),
  }),
]);

const limitSchema = (max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback);

const cursorSchema = z.string().check(z.minLength(1), z.maxLength(512));

export const listThreadsQuerySchema = z.object({
  limit: limitSchema(100, 20),
  cursor: z.optional(cursorSchema),
  archived: z.optional(
    z.pipe(
      z.enum(['true', 'false']),
      z.transform((value) => value === 'true'),
    ),
  ),
});

export const listMessagesQuerySchema = z.object({
  limit: limitSchema(200, 50),
  /** Cursor from a previous page: returns the messages before it. */
  before: z.optional(cursorSchema),
});

const titleSchema = storableString().check(z.trim(), z.minLength(1), z.maxLength(500));
const modelIdSchema = z.string().check(z.minLength(1), z.maxLength(200));

export const createThreadBodySchema = z.strictObject({
  id: z.optional(idSchema),
  title: z.optional(z.nullable(titleSchema)),
  model: z.optional(z.nullable(modelIdSchema)),
  metadata: z.optional(metadataInputSchema),
});

export const updateThreadBodySchema = z
  .strictObject({
    title: z.optional(z.nullable(titleSchema)),
    model: z.optional(z.nullable(modelIdSchema)),
    metadata: z.optional(metadataInputSchema),
    archived: z.optional(z.boolean()),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, { message: 'Nothing to update.' }));

export const sendMessageBodySchema = z
  .strictObject({
    /** A client-chosen id makes the send idempotent: a retry never stores the message twice. */
    id: z.optional(idSchema),
    text: z.optional(storableString()),
    parts: z.optional(z.array(userPartSchema).check(z.minLength(1), z.maxLength(64))),
    model: z.optional(modelIdSchema),
    /** The message this one follows; defaults to the thread's latest message. */
    parentId: z.optional(z.nullable(idSchema)),
    metadata: z.optional(metadataInputSchema),
  })
  .check(
    z.superRefine((body, context) => {
      if ((body.text === undefined) === (body.parts === undefined)) {
        context.addIssue({
          code: 'custom',
          message: 'Send either "text" or "parts".',
          path: ['text'],
        });
      } else if (body.text !== undefined && body.text.trim() === '') {
        context.addIssue({ code: 'custom', message: 'The message is empty.', path: ['text'] });
      }
    }),
  );

export const regenerateBodySchema = z.optional(
  z.strictObject({
    /** A client-chosen id for the new answer makes the request idempotent. */
    id: z.optional(idSchema),
    /** The model to answer with; default the thread's, else the one the question was sent with. */
    model: z.optional(modelIdSchema),
  }),
);

export const stopBodySchema = z.optional(z.strictObject({ messageId: z.optional(idSchema) }));

/** `PUT /threads/:id/leaf`: the message the caller's branch of the thread now runs through. */
export const setLeafBodySchema = z.strictObject({ messageId: idSchema });

/** `POST /threads/:id/fork`: a new thread holding the branch up to `messageId`. */
export const forkThreadBodySchema = z.strictObject({
  messageId: idSchema,
  /** A client-chosen id for the new thread. */
  id: z.optional(idSchema),
});

export const exportThreadQuerySchema = z.object({
  format: z._default(z.enum(['json', 'markdown']), 'json'),
});

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
export type UserPart = z.infer<typeof userPartSchema>;
export type CreateThreadBody = z.infer<typeof createThreadBodySchema>;
export type UpdateThreadBody = z.infer<typeof updateThreadBodySchema>;
export type SendMessageBody = z.infer<typeof sendMessageBodySchema>;
export type RegenerateBody = NonNullable<z.infer<typeof regenerateBodySchema>>;
export type SetLeafBody = z.infer<typeof setLeafBodySchema>;
export type ForkThreadBody = z.infer<typeof forkThreadBodySchema>;
export type ExportThreadQuery = z.infer<typeof exportThreadQuerySchema>;
