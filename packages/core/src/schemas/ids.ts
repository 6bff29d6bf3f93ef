import * as z from 'zod/mini';
import { _isoDateTime } from 'zod/v4/core';

/** Ids are opaque strings: UUIDs from the server, or client-chosen ids of the same alphabet. */
export const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[A-Za-z0-9_-]+$/, 'Ids use letters, digits, "-" and "_" only.'),
  );

/**
 * An ISO 8601 date and time with an offset: `z.iso.datetime({ offset: true })`, built from zod's
 * core because esbuild keeps the whole of a namespace reached through another (`z.iso`), here
 * three more ISO formats and their patterns a client never uses.
 */
export const timestampSchema = _isoDateTime(z.ZodMiniISODateTime, { offset: true });

export const metadataSchema = z.record(z.string(), z.json());

export type Metadata = z.infer<typeof metadataSchema>;
