import * as z from 'zod/mini';
import { idSchema, metadataSchema, timestampSchema } from './ids';

export const threadSchema = z.object({
  id: idSchema,
  /** The user who created the thread. Later milestones add members beside the owner. */
  ownerId: z.string(),
  title: z.nullable(z.string()),
  /** The model new answers in this thread use unless a send names another. */
  model: z.nullable(z.string()),
  metadata: metadataSchema,
  archived: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  lastActivityAt: timestampSchema,
});

export type Thread = z.infer<typeof threadSchema>;
