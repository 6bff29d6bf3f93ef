import { afterEach, describe, expect, it, vi } from 'vitest';
import { devAuth } from './dev-auth';

const request = (headers: Record<string, string> = {}) =>
  new Request('http://localhost/', { headers });

describe('devAuth', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('names the user by header, then cookie, else the default user', async () => {
    const auth = devAuth();
    expect(await auth(request({ 'x-confab-user': 'ada' }))).toEqual({ userId: 'ada' });
    expect(await auth(request({ cookie: 'theme=dark; confab_user=bob%40example.com' }))).toEqual({
      userId: 'bob@example.com',
    });
    expect(await auth(request())).toEqual({ userId: 'demo' });
  });

  it('refuses names it cannot use as ids, and anonymous callers when there is no default', async () => {
    expect(await devAuth()(request({ 'x-confab-user': 'a b<script>' }))).toBeNull();
    expect(await devAuth({ defaultUser: null })(request())).toBeNull();
  });

  it('refuses to start when NODE_ENV is production', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => devAuth()).toThrow(/production/);
  });
});
