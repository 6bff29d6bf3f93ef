import * as z from 'zod/mini';
import { idSchema, timestampSchema } from './ids';
import { messageStatusSchema, roleSchema, usageSchema } from './message';
import { metadataInputSchema, metadataIssues } from './metadata';
import { messagePartSchema } from './part';
import { storableString } from './text';

// The JSON a thread is exported as and imported from: read by the server only, so in a module
// of its own that a client does not ship.

/** Most characters of one imported part once serialised as JSON. */
const maxPartLength = 1_000_000;

/** A stored part, checked as input: storable everywhere and bounded, then read as a part. */
const importedPartSchema = z.pipe(
  z.unknown().check(
    z.superRefine((value, context) => {
      for (const issue of metadataIssues(value, { maxLength: maxPartLength, what: 'A part' })) {
        context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    }),
  ),
  messagePartSchema,
);

/** One message of an exported thread, as `GET /threads/:id/export` writes it. */
export const exportedMessageSchema = z.object({
  id: idSchema,
  parentId: z.nullable(idSchema),
  role: roleSchema,
  authorId: z.nullable(storableString().check(z.maxLength(256))),
  parts: z.array(importedPartSchema).check(z.maxLength(256)),
  status: messageStatusSchema,
  model: z.nullable(storableString().check(z.maxLength(200))),
  usage: z.nullable(usageSchema),
  sequence: z.number().check(z.int(), z.minimum(0), z.maximum(2 ** 31 - 1)),
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
    title: z.nullable(storableString().check(z.maxLength(500))),
    model: z.nullable(storableString().check(z.maxLength(200))),
    metadata: metadataInputSchema,
    createdAt: timestampSchema,
  }),
  messages: z.array(exportedMessageSchema),
});

export type ExportedMessage = z.infer<typeof exportedMessageSchema>;
export type ThreadExport = z.infer<typeof threadExportSchema>;
