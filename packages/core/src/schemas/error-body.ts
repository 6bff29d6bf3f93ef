import * as z from 'zod/mini';

export const errorCodes = [
  'invalid_request',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'generation_in_progress',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'unavailable',
  'model_error',
  'timeout',
  'interrupted',
  'network_error',
  'aborted',
  'invalid_response',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorDetailSchema = z.object({
  /** Stable machine-readable code. Unknown codes from newer servers are kept as strings. */
  code: z.string(),
  message: z.string(),
  issues: z.optional(
    z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
  ),
  retryAfter: z.optional(z.number()),
});

/** Every error on the wire: `{ "error": { "code": "...", "message": "..." } }`. */
export const errorBodySchema = z.object({ error: errorDetailSchema });

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
