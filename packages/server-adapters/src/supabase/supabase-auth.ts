import { decodeProtectedHeader } from 'jose';
import { bearerToken, type ChatAuth } from '../auth/chat-auth';
import { jwtAuth } from '../auth/jwt-auth';
import { readEnvironment } from '../runtime/read-environment';

export interface SupabaseAuthOptions {
  /**
   * The project's URL, `https://<project-ref>.supabase.co`. Default: `SUPABASE_URL`. Gives the
   * JWKS of the project's signing keys and the tokens' issuer.
   */
  url?: string;
  /**
   * The legacy shared JWT secret, for HS256 tokens. Default: `SUPABASE_JWT_SECRET`. Projects on
   * asymmetric signing keys need none: those tokens are checked against the JWKS.
   */
  jwtSecret?: string;
  /** Default: `${url}/auth/v1/.well-known/jwks.json`. */
  jwksUrl?: string;
  /**
   * The `iss` tokens must carry. Default: `${url}/auth/v1`; `false` skips the check (when the
   * function's URL is not the one tokens are issued under, as with a local `supabase start`).
   */
  issuer?: string | string[] | false;
  /** Default: `authenticated`, the audience of signed-in users' tokens. */
  audience?: string | string[];
  /** Allowed clock difference in seconds. Default 30. */
  clockTolerance?: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies Supabase Auth access tokens (`Authorization: Bearer <access_token>`): HS256 tokens
 * with the project's legacy JWT secret, ES256 and RS256 tokens with the project's JWKS, whichever
 * the token's header names. Only signed-in users pass (`role: authenticated`): the anon and
 * service keys are refused. Returns the user's id (`sub`) and the claims, which `supabaseStore()`
 * hands to the database for row-level security.
 */
export function supabaseAuth(options: SupabaseAuthOptions = {}): ChatAuth {
  const url = (options.url ?? readEnvironment('SUPABASE_URL'))?.replace(/\/+$/, '');
  const secret = options.jwtSecret ?? readEnvironment('SUPABASE_JWT_SECRET');
  const jwksUrl = options.jwksUrl ?? (url ? `${url}/auth/v1/.well-known/jwks.json` : undefined);
  if (!secret && !jwksUrl) {
    throw new Error(
      'supabaseAuth() needs the project URL (`url` or SUPABASE_URL) for its signing keys, or the legacy JWT secret (`jwtSecret` or SUPABASE_JWT_SECRET).',
    );
  }
  const issuer =
    options.issuer === false ? undefined : (options.issuer ?? (url ? `${url}/auth/v1` : undefined));
  const checks = {
    issuer,
    audience: options.audience ?? 'authenticated',
    clockTolerance: options.clockTolerance ?? 30,
  };
  const withSecret = secret ? jwtAuth({ ...checks, secret, algorithms: ['HS256'] }) : null;
  const withKeys = jwksUrl
    ? jwtAuth({ ...checks, jwksUrl, algorithms: ['ES256', 'RS256', 'EdDSA'] })
    : null;

  return async (request) => {
    const token = bearerToken(request);
    if (!token) return null;
    let algorithm: string | undefined;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      return null;
    }
    // The header only picks the key; jose still checks that the key and algorithm agree.
    const verify = algorithm?.startsWith('HS') ? withSecret : withKeys;
    const result = verify ? await verify(request) : null;
    if (result?.claims?.role !== 'authenticated') return null;
    // auth.uid() casts `sub` to uuid: anything else would fail inside the database instead.
    if (!uuid.test(result.userId)) return null;
    return result;
  };
}
