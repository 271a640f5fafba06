import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { bearer, json } from '../support/http.js';
import { missing } from '../support/skip.js';
import { pollUntil, waitFor } from '../support/wait.js';

let seq = 0;
const uniqueEmail = () => `revoker${Date.now()}${seq++}@example.com`;
const PASSWORD = 'correct horse battery';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  customer: { id: string };
}

const register = async (t: TestApp, email = uniqueEmail()): Promise<Tokens & { email: string }> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    ...json({ email, password: PASSWORD, name: 'Rosalind Franklin' }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { email, ...res.json() };
};
const login = async (t: TestApp, email: string): Promise<Tokens> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    ...json({ email, password: PASSWORD }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const me = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
const logout = (t: TestApp, token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
const refresh = (t: TestApp, refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', ...json({ refreshToken }) });

describe.skipIf(missing('postgres', 'redis'))(
  'token revocation across instances sharing Postgres and Redis',
  () => {
    let a: TestApp;
    let b: TestApp;
    let redis: Redis;
    beforeAll(async () => {
      a = await startTestApp({}, { redis: true });
      b = await startTestApp({}, { redis: true, db: a.db });
      redis = new Redis(inject('redisUrl')!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
    });
    afterAll(async () => {
      redis?.disconnect();
      await b?.close();
      await a?.close();
    });

    it('both instances use Redis and accept each other’s tokens', async () => {
      expect(a.runtime.platform.cache.kind).toBe('redis');
      expect(b.runtime.platform.cache.kind).toBe('redis');
      const { accessToken, customer } = await register(a);
      const res = await me(b, accessToken);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().id).toBe(customer.id);
    });

    it('logout on instance A makes instance B refuse the same access token at once', async () => {
      const { accessToken, refreshToken } = await register(a);
      expect((await me(b, accessToken)).statusCode).toBe(200);
      expect((await logout(a, accessToken)).statusCode).toBe(204);

      const afterLogout = await me(b, accessToken);
      expect(afterLogout.statusCode).toBe(401);
      expect(afterLogout.json().code).toBe('UNAUTHENTICATED');
      expect((await me(a, accessToken)).statusCode).toBe(401);
      expect((await refresh(b, refreshToken)).statusCode).toBe(401);
    });

    it('writes the revocation to the Redis deny-list with a TTL no longer than the token life', async () => {
      const { accessToken } = await register(a);
      const { jti, fid, exp } = decodeJwt(accessToken) as { jti: string; fid: string; exp: number };
      expect((await logout(a, accessToken)).statusCode).toBe(204);
      const jtiKey = `shopcore:eu:identity:deny:jti:${jti}`;
      const fidKey = `shopcore:eu:identity:deny:fid:${fid}`;
      expect(await redis.exists(jtiKey, fidKey)).toBe(2);
      const ttl = await redis.ttl(jtiKey);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(exp - Math.floor(Date.now() / 1000) + 1);
    });

    it('instance B refuses from the Redis deny-list alone, without the database record', async () => {
      const { accessToken } = await register(a);
      const { jti, fid } = decodeJwt(accessToken) as { jti: string; fid: string };
      expect((await logout(a, accessToken)).statusCode).toBe(204);
      // remove the durable record: only Redis still knows the token is revoked
      const ds = a.runtime.platform.dataSource;
      await ds.query('DELETE FROM identity_revoked_access_tokens WHERE jti = $1', [jti]);
      await ds.query(
        'UPDATE identity_refresh_families SET revoked_at = NULL, revoked_reason = NULL WHERE id = $1',
        [fid],
      );
      expect((await me(b, accessToken)).statusCode).toBe(401);
    });

    it('a refresh-token reuse detected on A revokes the family’s access token on B', async () => {
      const { email } = await register(a);
      const session = await login(a, email);
      const rotated = await refresh(a, session.refreshToken);
      expect(rotated.statusCode).toBe(200);
      const next: Tokens = rotated.json();
      expect((await me(b, next.accessToken)).statusCode).toBe(200);
      // the spent refresh token comes back: the whole family is revoked, on every instance
      expect((await refresh(a, session.refreshToken)).statusCode).toBe(401);
      expect((await me(b, next.accessToken)).statusCode).toBe(401);
      expect((await refresh(b, next.refreshToken)).statusCode).toBe(401);
    });

    it('logout of one session leaves the user’s other sessions working', async () => {
      const { email, accessToken } = await register(a);
      const other = await login(b, email);
      expect((await logout(a, accessToken)).statusCode).toBe(204);
      expect((await me(b, accessToken)).statusCode).toBe(401);
      expect((await me(a, other.accessToken)).statusCode).toBe(200);
      expect((await me(b, other.accessToken)).statusCode).toBe(200);
    });
  },
);

describe.skipIf(missing('postgres'))('token revocation while Redis is down', () => {
  const DEAD_REDIS = { REDIS_URL: 'redis://127.0.0.1:1' };
  let c: TestApp;
  let d: TestApp;
  beforeAll(async () => {
    c = await startTestApp(DEAD_REDIS);
    d = await startTestApp(DEAD_REDIS, { db: c.db });
  });
  afterAll(async () => {
    await d?.close();
    await c?.close();
  });

  it('still registers and logs in', async () => {
    expect(c.runtime.platform.cache.kind).toBe('redis');
    const { email, accessToken } = await register(c);
    expect((await me(c, accessToken)).statusCode).toBe(200);
    const session = await login(c, email);
    expect((await me(d, session.accessToken)).statusCode).toBe(200);
    const rotated = await refresh(d, session.refreshToken);
    expect(rotated.statusCode, rotated.body).toBe(200);
  });

  it('logout still revokes the token, here and on another instance (database fallback)', async () => {
    const { accessToken, refreshToken } = await register(c);
    expect((await me(d, accessToken)).statusCode).toBe(200);
    const out = await logout(c, accessToken);
    expect(out.statusCode, out.body).toBe(204);
    const here = await me(c, accessToken);
    expect(here.statusCode).toBe(401);
    expect(here.json().code).toBe('UNAUTHENTICATED');
    // instance D never saw the logout: only the database knows
    const there = await me(d, accessToken);
    expect(there.statusCode).toBe(401);
    expect(there.json().code).toBe('UNAUTHENTICATED');
    expect((await refresh(d, refreshToken)).statusCode).toBe(401);
    const [row] = await c.runtime.platform.dataSource.query(
      'SELECT 1 AS found FROM identity_revoked_access_tokens WHERE jti = $1',
      [decodeJwt(accessToken).jti],
    );
    expect(row).toEqual({ found: 1 });
  });

  it('a refresh-token reuse still revokes the family everywhere', async () => {
    const { accessToken, refreshToken } = await register(c);
    const rotated = await refresh(c, refreshToken);
    expect(rotated.statusCode).toBe(200);
    expect((await refresh(c, refreshToken)).statusCode).toBe(401);
    expect((await me(d, rotated.json().accessToken)).statusCode).toBe(401);
    expect((await me(d, accessToken)).statusCode).toBe(401);
  });

  it('/readyz answers 200 degraded with the cache down', async () => {
    const res = await c.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'degraded',
      checks: { database: 'up', cache: 'down', broker: 'disabled', consumers: 'disabled' },
    });
  });
});

describe.skipIf(missing('postgres', 'redis'))(
  'a logout on an instance that cannot reach Redis reaches the others once Redis answers',
  () => {
    let cut: TestApp; // its REDIS_URL goes nowhere, as during a network partition
    let live: TestApp;
    let redis: Redis;
    beforeAll(async () => {
      live = await startTestApp({}, { redis: true });
      cut = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' }, { db: live.db });
      redis = new Redis(inject('redisUrl')!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
    });
    afterAll(async () => {
      redis?.disconnect();
      await cut?.close();
      await live?.close();
    });

    it('records the missed deny-list writes in the database; the other instance copies them into Redis', async () => {
      const { accessToken } = await register(live);
      const { jti, fid } = decodeJwt(accessToken) as { jti: string; fid: string };
      expect((await me(live, accessToken)).statusCode).toBe(200);
      expect((await logout(cut, accessToken)).statusCode).toBe(204);
      expect((await me(cut, accessToken)).statusCode).toBe(401);
      const backlog = () =>
        live.runtime.platform.dataSource.query(
          'SELECT key FROM identity_deny_list_backlog WHERE key IN ($1, $2)',
          [`identity:deny:jti:${jti}`, `identity:deny:fid:${fid}`],
        ) as Promise<unknown[]>;
      // each missed write is recorded in the backlog — or already copied into Redis by the live
      // instance's repair task (every 2 s), which may run between the two writes of a loaded machine.
      // The writes are after-commit effects of the logout, which may still be running when its 204
      // arrives: wait for both to be somewhere, never for a fixed time
      const keys = [`identity:deny:jti:${jti}`, `identity:deny:fid:${fid}`];
      const whereabouts = async () => {
        const recorded = new Set((await backlog()).map((r) => (r as { key: string }).key));
        return Promise.all(
          keys.map(async (key) =>
            recorded.has(key)
              ? 'backlog'
              : (await redis.exists(`shopcore:eu:${key}`)) === 1
                ? 'redis'
                : 'lost',
          ),
        );
      };
      const found = await pollUntil(whereabouts, (w) => !w.includes('lost'), 5_000, 20);
      expect(found, keys.join(', ')).not.toContain('lost');
      // the cut instance goes away; the live one's repair task (every 2 s) takes over
      await cut.close();
      // the repair copies the backlog into Redis, then deletes it: wait for both, not only the first
      await waitFor(
        'the live instance to refuse the token and clear the backlog',
        async () => (await me(live, accessToken)).statusCode === 401 && (await backlog()).length === 0,
        8_000,
      );
      expect(await backlog()).toEqual([]);
      expect(
        await redis.exists(`shopcore:eu:identity:deny:jti:${jti}`, `shopcore:eu:identity:deny:fid:${fid}`),
      ).toBe(2);
    });
  },
);
