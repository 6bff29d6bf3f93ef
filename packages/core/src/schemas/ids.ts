import { z } from 'zod';

/** Ids are opaque strings: UUIDs from the server, or client-chosen ids of the same alphabet. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'Ids use letters, digits, "-" and "_" only.');

export const timestampSchema = z.iso.datetime({ offset: true });

export const metadataSchema = z.record(z.string(), z.json());

export type Metadata = z.infer<typeof metadataSchema>;
