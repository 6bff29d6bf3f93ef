import { ConfabError, PROTOCOL_HEADER, PROTOCOL_VERSION, type ValidationIssue } from '@confab/core';
import type * as z from 'zod/mini';
import english from 'zod/v4/locales/en.js';

const jsonHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  [PROTOCOL_HEADER]: PROTOCOL_VERSION,
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...jsonHeaders, ...headers } });
}

export function errorResponse(error: ConfabError, headers: Record<string, string> = {}): Response {
  const status = error.status >= 400 ? error.status : 500;
  const extra: Record<string, string> = { ...headers };
  if (error.retryAfter !== undefined) extra['retry-after'] = String(Math.ceil(error.retryAfter));
  if (status === 401) extra['www-authenticate'] = 'Bearer';
  return json(error.toBody(), status, extra);
}

/**
 * The messages of zod's own checks in English. The schemas come from @confab/core on zod/mini,
 * which loads no locale so that clients do not ship one; the server's 400 answers say what is
 * wrong, in English, for this parse only (the host app's zod configuration is left alone).
 */
const { localeError } = english();

export function issuesOf(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
    message: issue.message,
  }));
}

export function invalid(message: string, issues: ValidationIssue[]): ConfabError {
  return new ConfabError('invalid_request', message, { issues });
}

/** Validates a value with a schema, answering 400 with the zod issue paths. */
export function validate<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value, { error: localeError });
  if (!result.success) {
    const issues = issuesOf(result.error);
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at "${first.path.join('.')}"` : '';
    const reason = (first?.message ?? 'unexpected value').replace(/\.$/, '');
    throw invalid(`Invalid ${what}${where}: ${reason}.`, issues);
  }
  return result.data;
}

/**
 * Reads a JSON body of at most `maxBytes`, validated by `schema`. A missing body is read as
 * `undefined`, which the schema may accept. Only `application/json` is accepted, which also keeps
 * cross-site form posts out.
 */
export async function readBody<T extends z.ZodMiniType>(
  request: Request,
  schema: T,
  maxBytes: number,
): Promise<z.infer<T>> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readText(request, maxBytes);
  if (text.trim() === '') return validate(schema, undefined, 'request body');
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ConfabError(
      'unsupported_media_type',
      'Send the body as JSON with "content-type: application/json".',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfabError('invalid_json', 'The request body is not valid JSON.');
  }
  return validate(schema, value, 'request body');
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(maxBytes: number) {
  return new ConfabError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
}
