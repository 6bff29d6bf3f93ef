import { z } from 'zod';
import { idSchema } from './ids';

/** `PUT /threads/:id/leaf`: the message the caller's branch of the thread now ends at. */
export const setLeafBodySchema = z.strictObject({ messageId: idSchema });

/** `POST /threads/:id/fork`: a new thread holding the branch up to `messageId`. */
export const forkThreadBodySchema = z.strictObject({
  messageId: idSchema,
  /** A client-chosen id for the new thread. */
  id: idSchema.optional(),
});

export const exportThreadQuerySchema = z.object({
  format: z.enum(['json', 'markdown']).default('json'),
});

export type SetLeafBody = z.infer<typeof setLeafBodySchema>;
export type ForkThreadBody = z.infer<typeof forkThreadBodySchema>;
export type ExportThreadQuery = z.infer<typeof exportThreadQuerySchema>;
