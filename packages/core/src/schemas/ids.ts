import * as z from 'zod/mini';

/** Ids are opaque strings: UUIDs from the server, or client-chosen ids of the same alphabet. */
export const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9_-]+$/, 'Ids use letters, digits, "-" and "_" only.'),
  );

export const timestampSchema = z.iso.datetime({ offset: true });

export const metadataSchema = z.record(z.string(), z.json());

export type Metadata = z.infer<typeof metadataSchema>;
