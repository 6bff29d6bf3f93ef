import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { jwtAuth } from './jwt-auth';

const secret = 'a-shared-secret-of-at-least-32-bytes!!';
const withToken = (token: string) =>
  new Request('http://localhost/', { headers: { authorization: `Bearer ${token}` } });

function sign(
  claims: Record<string, unknown>,
  key: Uint8Array | CryptoKey,
  alg = 'HS256',
  kid?: string,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

const servers: http.Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

describe('jwtAuth with a shared secret', () => {
  const key = new TextEncoder().encode(secret);
  const auth = jwtAuth({ secret, audience: 'confab' });

  it('accepts a valid token and takes the user from sub', async () => {
    const result = await auth(
      withToken(await sign({ sub: 'user-1', aud: 'confab', role: 'member' }, key)),
    );
    expect(result?.userId).toBe('user-1');
    expect(result?.claims).toMatchObject({ role: 'member' });
  });

  it('refuses a missing, forged, expired or wrong-audience token', async () => {
    expect(await auth(new Request('http://localhost/'))).toBeNull();
    const forged = await sign(
      { sub: 'user-1', aud: 'confab' },
      new TextEncoder().encode('another-secret-of-32-bytes-or-more!!'),
    );
    expect(await auth(withToken(forged))).toBeNull();
    const expired = await new SignJWT({ sub: 'user-1', aud: 'confab' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    expect(await auth(withToken(expired))).toBeNull();
    expect(await auth(withToken(await sign({ sub: 'user-1', aud: 'elsewhere' }, key)))).toBeNull();
    expect(await auth(withToken('not.a.jwt'))).toBeNull();
  });

  it('refuses a token without the user claim', async () => {
    expect(await auth(withToken(await sign({ aud: 'confab' }, key)))).toBeNull();
  });

  it('needs exactly one of secret or jwksUrl', () => {
    expect(() => jwtAuth({})).toThrow(/exactly one/);
    expect(() => jwtAuth({ secret, jwksUrl: 'http://localhost/jwks' })).toThrow(/exactly one/);
  });
});

describe('jwtAuth with a JWKS', () => {
  it('verifies tokens signed by a key the JWKS publishes', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    const server = http.createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    const auth = jwtAuth({ jwksUrl, issuer: 'https://issuer.test' });

    const good = await sign(
      { sub: 'user-9', iss: 'https://issuer.test' },
      privateKey,
      'ES256',
      'key-1',
    );
    expect((await auth(withToken(good)))?.userId).toBe('user-9');

    const stranger = await generateKeyPair('ES256');
    const bad = await sign(
      { sub: 'user-9', iss: 'https://issuer.test' },
      stranger.privateKey,
      'ES256',
      'key-1',
    );
    expect(await auth(withToken(bad))).toBeNull();
  });
});
