import { ConfabError } from '@confab/core';

/**
 * PostgreSQL error codes that mean the connection is gone or cannot be had: class 08 (connection
 * exception), the server shutting down or killing the backend (57P01 admin_shutdown, 57P02
 * crash_shutdown, 57P03 cannot_connect_now), and too many connections (53300).
 */
const connectionCodes = /^(08|57P0[123]$|53300$)/;

/** Socket errors of a database that cannot be reached. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What `pg` throws when a connection ends under a query, or cannot be opened in time. */
const lostConnection =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended/i;

/** Whether `error` (or an error it wraps) says the database cannot be reached right now. */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (connectionCodes.test(code) || socketCodes.has(code))) {
    return true;
  }
  if (typeof message === 'string' && lostConnection.test(message)) return true;
  // Node reports a refused connection to every address of a host as an AggregateError.
  if (Array.isArray(errors) && errors.some((item) => isConnectionFailure(item, depth + 1))) {
    return true;
  }
  return isConnectionFailure(cause, depth + 1);
}

/**
 * Rethrows a lost or refused database connection as `unavailable` (503: try again later), and
 * anything else as it is. The call failed cleanly; the pool opens a new connection for the next.
 */
export function rethrowUnavailable(error: unknown): never {
  if (!ConfabError.isInstance(error) && isConnectionFailure(error)) {
    throw new ConfabError('unavailable', 'The database is unavailable. Try again in a moment.', {
      cause: error,
    });
  }
  throw error;
}
