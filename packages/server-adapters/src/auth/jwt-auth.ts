import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { bearerToken, type ChatAuth } from './chat-auth';

export interface JwtAuthOptions {
  /** A shared secret (HS256/384/512). Give either this or `jwksUrl`. */
  secret?: string | Uint8Array;
  /** The URL of a JSON Web Key Set (RS256, ES256, EdDSA...). */
  jwksUrl?: string | URL;
  issuer?: string | string[];
  audience?: string | string[];
  algorithms?: string[];
  /** The claim that holds the user id. Default `sub`. */
  userIdClaim?: string;
  /** Allowed clock difference in seconds. Default 30. */
  clockTolerance?: number;
}

/** Verifies `Authorization: Bearer <jwt>` with a shared secret or a JWKS (jose). */
export function jwtAuth(options: JwtAuthOptions): ChatAuth {
  if ((options.secret === undefined) === (options.jwksUrl === undefined)) {
    throw new Error('jwtAuth() needs exactly one of "secret" or "jwksUrl".');
  }
  const key: Uint8Array | JWTVerifyGetKey =
    options.secret !== undefined
      ? typeof options.secret === 'string'
        ? new TextEncoder().encode(options.secret)
        : options.secret
      : createRemoteJWKSet(new URL(options.jwksUrl!));
  const userIdClaim = options.userIdClaim ?? 'sub';
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms,
    clockTolerance: options.clockTolerance ?? 30,
  };
  return async (request) => {
    const token = bearerToken(request);
    if (!token) return null;
    let payload: JWTPayload;
    try {
      payload =
        key instanceof Uint8Array
          ? (await jwtVerify(token, key, verifyOptions)).payload
          : (await jwtVerify(token, key, verifyOptions)).payload;
    } catch {
      return null;
    }
    const userId = payload[userIdClaim];
    if (typeof userId !== 'string' || userId === '') return null;
    return { userId, claims: payload as Record<string, unknown> };
  };
}
