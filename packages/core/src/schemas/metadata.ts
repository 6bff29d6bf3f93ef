import * as z from 'zod/mini';
import { metadataSchema } from './ids';
import { isStorableText, unstorableTextMessage } from './text';

/** Most levels of objects and arrays in metadata, the metadata object itself being the first. */
export const maxMetadataDepth = 32;

/** Most characters of metadata once serialised as JSON. */
export const maxMetadataLength = 32_768;

/** Issues reported at most per value: a huge bad input does not make a huge answer. */
const maxIssues = 10;

type Path = (string | number)[];

/**
 * The problems of `value` as metadata, found without recursion: a JSON object whose strings and
 * keys every store can hold, whose numbers are finite (JSON.parse reads `1e400` as Infinity,
 * which JSON.stringify writes as null), at most `maxMetadataDepth` levels deep. A recursive
 * validator (`z.json()`) overflows the stack on input nested a few thousand levels deep, which
 * JSON.parse itself reads without trouble; this walk stops at the depth limit instead.
 */
export function metadataIssues(
  value: unknown,
  { maxLength = maxMetadataLength, what = 'Metadata' } = {},
): { path: Path; message: string }[] {
  const issues: { path: Path; message: string }[] = [];
  if (!isPlainObject(value)) return [{ path: [], message: `${what} is a JSON object.` }];
  const pending: { value: unknown; path: Path; depth: number }[] = [{ value, path: [], depth: 1 }];
  while (pending.length > 0 && issues.length < maxIssues) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) issues.push({ path, message: unstorableTextMessage });
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) issues.push({ path, message: 'Numbers must be finite.' });
    } else if (current === null || typeof current === 'boolean') {
      // Stored as they are.
    } else if (Array.isArray(current) || isPlainObject(current)) {
      if (depth > maxMetadataDepth) {
        issues.push({ path, message: `${what} nests at most ${maxMetadataDepth} levels deep.` });
        continue;
      }
      const entries: [string | number, unknown][] = Array.isArray(current)
        ? current.map((item, index) => [index, item])
        : Object.entries(current);
      for (const [key, item] of entries) {
        if (typeof key === 'string' && !isStorableText(key)) {
          issues.push({ path: [...path, key], message: `Keys: ${unstorableTextMessage}` });
        }
        pending.push({ value: item, path: [...path, key], depth: depth + 1 });
      }
    } else {
      issues.push({ path, message: 'Not a JSON value.' });
    }
  }
  if (issues.length === 0 && JSON.stringify(value).length > maxLength) {
    issues.push({ path: [], message: `${what} is at most ${maxLength} characters as JSON.` });
  }
  return issues;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Metadata as a request may send it: bounded in depth and size and storable everywhere. The
 * bounds are checked first, so the recursive `metadataSchema` after them only sees input it can
 * walk.
 */
export const metadataInputSchema = z.pipe(
  z.unknown().check(
    z.superRefine((value, context) => {
      for (const issue of metadataIssues(value)) {
        context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    }),
  ),
  metadataSchema,
);
