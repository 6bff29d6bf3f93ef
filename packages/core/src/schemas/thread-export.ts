import { z } from 'zod';
import { idSchema, timestampSchema } from './ids';
import { messageStatusSchema, roleSchema, usageSchema } from './message';
import { metadataInputSchema, metadataIssues } from './metadata';
import { messagePartSchema } from './part';
import { storableString } from './text';

/** Most characters of one imported part once serialised as JSON. */
const maxPartLength = 1_000_000;

/** A stored part, checked as input: storable everywhere and bounded, then read as a part. */
const importedPartSchema = z
  .unknown()
  .superRefine((value, context) => {
    for (const issue of metadataIssues(value, { maxLength: maxPartLength, what: 'A part' })) {
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  })
  .pipe(messagePartSchema);

/** One message of an exported thread, as `GET /threads/:id/export` writes it. */
export const exportedMessageSchema = z.object({
  id: idSchema,
  parentId: idSchema.nullable(),
  role: roleSchema,
  authorId: storableString().max(256).nullable(),
  parts: z.array(importedPartSchema).max(256),
  status: messageStatusSchema,
  model: storableString().max(200).nullable(),
  usage: usageSchema.nullable(),
  sequence: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31 - 1),
  metadata: metadataInputSchema,
  createdAt: timestampSchema,
});

/**
 * A thread as JSON: every message, every version of every turn, in sequence order. What
 * `GET /threads/:id/export` writes and `POST /thread-imports` reads back.
 */
export const threadExportSchema = z.object({
  format: z.literal('confab.thread'),
  version: z.literal(1),
  thread: z.object({
    title: storableString().max(500).nullable(),
    model: storableString().max(200).nullable(),
    metadata: metadataInputSchema,
    createdAt: timestampSchema,
  }),
  messages: z.array(exportedMessageSchema),
});

export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ThreadExport = z.infer<typeof threadExportSchema>;
