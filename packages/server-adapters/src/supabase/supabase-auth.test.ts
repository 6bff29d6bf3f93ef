import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatHandler } from '../handler/create-chat-handler';
import { memoryStore } from '../store/memory-store';
import { scriptedModel } from '../testing/scripted-model';
import { supabaseAuth } from './supabase-auth';

const jwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long';
const secretKey = new TextEncoder().encode(jwtSecret);
const userId = '6f1d0c1e-3b8a-4e52-9b7c-2f4a8d9e0a11';

let projectUrl: string;
let ecKey: CryptoKey;
let rsaKey: CryptoKey;
let server: http.Server;

// A Supabase project on loopback, as far as token verification sees it: its JWKS endpoint.
beforeAll(async () => {
  const ec = await generateKeyPair('ES256');
  const rsa = await generateKeyPair('RS256');
  ecKey = ec.privateKey;
  rsaKey = rsa.privateKey;
  const keys = [
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-key', alg: 'ES256', use: 'sig' },
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-key', alg: 'RS256', use: 'sig' },
  ];
  server = http.createServer((request, response) => {
    if (request.url !== '/auth/v1/.well-known/jwks.json') {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  projectUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

afterEach(() => vi.unstubAllEnvs());

function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `${projectUrl}/auth/v1`,
    sub: userId,
    aud: 'authenticated',
    exp: now + 3600,
    iat: now,
    email: 'ada@example.test',
    role: 'authenticated',
    aal: 'aal1',
    session_id: '0b7c5a52-55c5-4a4f-8d0e-1a1f7c3a9e21',
    is_anonymous: false,
    ...overrides,
  };
}

function signWithSecret(payload: JWTPayload, key: Uint8Array = secretKey) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

function signWithKey(payload: JWTPayload, alg: 'ES256' | 'RS256' = 'ES256', key?: CryptoKey) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'JWT', kid: alg === 'ES256' ? 'ec-key' : 'rsa-key' })
    .sign(key ?? (alg === 'ES256' ? ecKey : rsaKey));
}

const bearer = (token: string) =>
  new Request('http://localhost/threads', { headers: { authorization: `Bearer ${token}` } });

describe('supabaseAuth', () => {
  it('accepts a signed-in user token signed with the legacy JWT secret (HS256)', async () => {
    const auth = supabaseAuth({ url: projectUrl, jwtSecret });
    const result = await auth(bearer(await signWithSecret(claims())));
    expect(result?.userId).toBe(userId);
    expect(result?.claims).toMatchObject({
      sub: userId,
      role: 'authenticated',
      email: 'ada@example.test',
    });
  });

  it("accepts tokens signed with the project's asymmetric keys (ES256, RS256) through its JWKS", async () => {
    // One project holds both kinds while it moves from the shared secret to signing keys.
    const auth = supabaseAuth({ url: projectUrl, jwtSecret });
    expect((await auth(bearer(await signWithKey(claims(), 'ES256'))))?.userId).toBe(userId);
    expect((await auth(bearer(await signWithKey(claims(), 'RS256'))))?.userId).toBe(userId);
    const keysOnly = supabaseAuth({ url: projectUrl });
    expect((await keysOnly(bearer(await signWithKey(claims()))))?.claims).toMatchObject({
      role: 'authenticated',
    });
  });

  it('reads the project from SUPABASE_URL and SUPABASE_JWT_SECRET', async () => {
    vi.stubEnv('SUPABASE_URL', `${projectUrl}/`);
    vi.stubEnv('SUPABASE_JWT_SECRET', jwtSecret);
    const auth = supabaseAuth();
    expect((await auth(bearer(await signWithSecret(claims()))))?.userId).toBe(userId);
    expect((await auth(bearer(await signWithKey(claims()))))?.userId).toBe(userId);
  });

  it('refuses expired, foreign, anonymous-key and malformed tokens', async () => {
    const auth = supabaseAuth({ url: projectUrl, jwtSecret });
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const strangerKey = (await generateKeyPair('ES256')).privateKey;
    const refused = {
      expired: await signWithSecret(claims({ exp: hourAgo, iat: hourAgo - 3600 })),
      'expired (ES256)': await signWithKey(claims({ exp: hourAgo, iat: hourAgo - 3600 })),
      'wrong audience': await signWithSecret(claims({ aud: 'another-app' })),
      'wrong issuer': await signWithKey(claims({ iss: 'https://elsewhere.supabase.co/auth/v1' })),
      'anon role': await signWithSecret(claims({ role: 'anon' })),
      // The project's anon and service keys themselves: no user, no audience.
      'anon key': await signWithSecret({ iss: 'supabase', ref: 'project', role: 'anon' }),
      'service role key': await signWithSecret({
        iss: 'supabase',
        ref: 'project',
        role: 'service_role',
      }),
      'service role with a user': await signWithSecret(claims({ role: 'service_role' })),
      'wrong secret': await signWithSecret(
        claims(),
        new TextEncoder().encode('another-secret-that-is-also-32-characters-long'),
      ),
      'unknown signing key': await signWithKey(claims(), 'ES256', strangerKey),
      'no user': await signWithSecret(claims({ sub: undefined })),
      'a user id that is not a uuid': await signWithSecret(claims({ sub: 'ada' })),
      'not a JWT': 'not-a-jwt',
    };
    for (const [name, token] of Object.entries(refused)) {
      expect(await auth(bearer(token)), name).toBeNull();
    }
    expect(await auth(new Request('http://localhost/threads'))).toBeNull();
    expect(
      await auth(
        new Request('http://localhost/threads', {
          headers: { authorization: `Basic ${btoa('ada:secret')}` },
        }),
      ),
    ).toBeNull();
  });

  it('refuses HS256 tokens when the project has no shared secret configured', async () => {
    const auth = supabaseAuth({ url: projectUrl });
    expect(await auth(bearer(await signWithSecret(claims())))).toBeNull();
  });

  it('checks the issuer it is given, or none when told so', async () => {
    const local = claims({ iss: 'http://127.0.0.1:54321/auth/v1' });
    const token = await signWithKey(local);
    expect(await supabaseAuth({ url: projectUrl })(bearer(token))).toBeNull();
    expect(
      (
        await supabaseAuth({ url: projectUrl, issuer: 'http://127.0.0.1:54321/auth/v1' })(
          bearer(token),
        )
      )?.userId,
    ).toBe(userId);
    expect((await supabaseAuth({ url: projectUrl, issuer: false })(bearer(token)))?.userId).toBe(
      userId,
    );
  });

  it('needs the project URL or the JWT secret', () => {
    vi.stubEnv('SUPABASE_URL', '');
    vi.stubEnv('SUPABASE_JWT_SECRET', '');
    expect(() => supabaseAuth()).toThrow(/SUPABASE_URL/);
  });

  it('makes the chat API answer 401 to every refused token, and serve the signed-in user', async () => {
    const handler = createChatHandler({
      store: memoryStore(),
      model: scriptedModel(),
      auth: supabaseAuth({ url: projectUrl, jwtSecret }),
    });
    const call = (headers: Record<string, string>) =>
      handler(new Request('http://localhost/threads', { headers }));
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${await signWithSecret(claims({ exp: hourAgo }))}` },
      { authorization: `Bearer ${await signWithSecret(claims({ aud: 'elsewhere' }))}` },
      { authorization: `Bearer ${await signWithSecret(claims({ role: 'anon' }))}` },
      {
        authorization: `Bearer ${await signWithSecret(claims(), new TextEncoder().encode('x'.repeat(40)))}`,
      },
    ];
    for (const headers of refused) {
      const response = await call(headers);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized');
    }
    const allowed = await call({ authorization: `Bearer ${await signWithKey(claims())}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ items: [], nextCursor: null });
  });
});
