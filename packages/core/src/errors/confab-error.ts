import type { ErrorBody, ErrorCode } from '../schemas/error-body';

const marker = Symbol.for('confab.error');

/** The HTTP status each error code answers with on the wire. */
export const errorStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  generation_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  /** A service the server depends on (its database) cannot be reached; try again later. */
  unavailable: 503,
  model_error: 502,
  timeout: 504,
  interrupted: 500,
  network_error: 0,
  aborted: 0,
  invalid_response: 0,
};

export interface ConfabErrorOptions {
  status?: number;
  cause?: unknown;
  issues?: ValidationIssue[];
  retryAfter?: number;
}

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

/**
 * The one error type of Confab. Every failure, on the server or in the client, is a ConfabError
 * with a stable `code`; `isInstance` recognises one thrown by another copy of the package.
 */
export class ConfabError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ValidationIssue[] | undefined;
  /** Seconds to wait before trying again (rate limits). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: ConfabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfabError';
    this.code = code;
    this.status = options.status ?? errorStatus[code] ?? 500;
    this.issues = options.issues;
    this.retryAfter = options.retryAfter;
  }

  static isInstance(value: unknown): value is ConfabError {
    return typeof value === 'object' && value !== null && marker in value;
  }

  /** Rebuilds the typed error from a wire body (`{ error: { code, message } }`). */
  static fromBody(body: ErrorBody, status?: number): ConfabError {
    const { code, message, issues, retryAfter } = body.error;
    const known = (code in errorStatus ? code : 'internal_error') as ErrorCode;
    return new ConfabError(known, message, { status, issues, retryAfter });
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      },
    };
  }
}

/** Wraps anything thrown into a ConfabError, keeping ConfabErrors as they are. */
export function toConfabError(value: unknown, fallback: ErrorCode = 'internal_error'): ConfabError {
  if (ConfabError.isInstance(value)) return value;
  if (isAbortError(value))
    return new ConfabError('aborted', 'The request was aborted.', { cause: value });
  const message = value instanceof Error ? value.message : String(value);
  return new ConfabError(fallback, message || 'Unexpected error.', { cause: value });
}

export function isAbortError(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'name' in value &&
    (value.name === 'AbortError' || value.name === 'TimeoutError')
  );
}
