import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';

describe.skipIf(missing('postgres'))('per-user rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ USER_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());

  const register = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: `rl${Date.now()}${Math.random()}@example.com`,
        password: 'a long password',
        name: 'R',
      }),
    });
    return res.json().accessToken as string;
  };

  it('gives each authenticated user a budget of their own: 429 RATE_LIMITED with Retry-After beyond it', async () => {
    const [alice, bob] = [await register(), await register()];
    const me = (token: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await me(alice)).statusCode).toBe(200);
    const limited = await me(alice);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['cache-control']).toBe('no-store'); // /me answers are never cached, 429 included
    // same IP, another user: unaffected
    expect((await me(bob)).statusCode).toBe(200);
  });
});
