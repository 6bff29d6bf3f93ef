/** The caller, as the host app's auth established it. */
export interface AuthResult {
  userId: string;
  /** Verified claims, for stores that pass them to the database (row-level security). */
  claims?: Record<string, unknown>;
}

/**
 * Identifies the caller of a request: the host app owns identity. Return null for an
 * unauthenticated request (answered 401).
 */
export type ChatAuth = (request: Request) => AuthResult | null | Promise<AuthResult | null>;

/** The bearer token of a request's `Authorization` header, if any. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}
