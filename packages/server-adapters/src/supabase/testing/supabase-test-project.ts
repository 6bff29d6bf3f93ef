import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface SupabaseTestProject {
  /** The project's URL, as `SUPABASE_URL`: its JWKS answers at `/auth/v1/.well-known/jwks.json`. */
  url: string;
  /** The legacy shared JWT secret, as `SUPABASE_JWT_SECRET`. */
  jwtSecret: string;
  /**
   * An access token with these claims, signed as Supabase Auth signs them: with the legacy
   * secret (HS256) or with the project's signing key (ES256, published in the JWKS).
   */
  sign(claims: Record<string, unknown>, algorithm: 'HS256' | 'ES256'): Promise<string>;
  close(): void;
}

/** The signing side of a Supabase project: a JWKS served on loopback, and both kinds of keys. */
export async function startSupabaseTestProject(): Promise<SupabaseTestProject> {
  const jwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long';
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256' }] };
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(jwks));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    jwtSecret,
    sign(claims, algorithm) {
      const token = new SignJWT(claims as JWTPayload);
      return algorithm === 'HS256'
        ? token
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .sign(new TextEncoder().encode(jwtSecret))
        : token.setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'key-1' }).sign(privateKey);
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
