import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { bearer, json } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

/**
 * Logout, refresh-token reuse and erasure are remembered by Postgres: a revoked token stays refused
 * after a restart (embedded mode: the deny-list is in process memory) and after Redis lost its keys
 * (full mode: Redis keeps nothing on disk), on every instance.
 */

let seq = 0;
const uniqueEmail = () => `durable${Date.now()}${seq++}@example.com`;
const PASSWORD = 'correct horse battery';
const ADDRESS = { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' };

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const register = async (t: TestApp): Promise<Tokens & { email: string; customer: { id: string } }> => {
  const email = uniqueEmail();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    ...json({ email, password: PASSWORD, name: 'Grace Hopper' }),
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
const refresh = (t: TestApp, refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', ...json({ refreshToken }) });
const me = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
const addAddress = (t: TestApp, token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/me/addresses', ...json(ADDRESS, bearer(token)) });
const createCart = (t: TestApp, token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/carts', ...json({}, bearer(token)) });

const expectUnauthenticated = async (res: Promise<{ statusCode: number; body: string }>) => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(401);
  expect(JSON.parse(r.body).code).toBe('UNAUTHENTICATED');
};

/** The three ways a token gets revoked, done on `t`; returns the tokens that must be refused from then on. */
const revokeInEveryWay = async (t: TestApp) => {
  // logout
  const loggedOut = await register(t);
  expect((await me(t, loggedOut.accessToken)).statusCode).toBe(200);
  const out = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/logout',
    headers: bearer(loggedOut.accessToken),
  });
  expect(out.statusCode, out.body).toBe(204);

  // a spent refresh token comes back: its family (both access tokens) is revoked
  const victim = await register(t);
  const rotated = await refresh(t, victim.refreshToken);
  expect(rotated.statusCode, rotated.body).toBe(200);
  const rotatedAccess = (rotated.json() as Tokens).accessToken;
  expect((await refresh(t, victim.refreshToken)).statusCode).toBe(401);

  // erasure, with a second session that was not the one used to erase
  const erased = await register(t);
  const otherSession = await login(t, erased.email);
  expect((await createCart(t, otherSession.accessToken)).statusCode).toBe(201);
  const del = await t.app.inject({
    method: 'DELETE',
    url: '/api/v1/me',
    headers: bearer(erased.accessToken),
  });
  expect(del.statusCode, del.body).toBe(204);

  return {
    loggedOut: loggedOut.accessToken,
    reused: [victim.accessToken, rotatedAccess],
    erased: [erased.accessToken, otherSession.accessToken],
  };
};

const expectAllRefused = async (t: TestApp, revoked: Awaited<ReturnType<typeof revokeInEveryWay>>) => {
  await expectUnauthenticated(me(t, revoked.loggedOut));
  await expectUnauthenticated(addAddress(t, revoked.loggedOut));
  for (const token of revoked.reused) {
    await expectUnauthenticated(me(t, token));
    await expectUnauthenticated(addAddress(t, token));
  }
  for (const token of revoked.erased) {
    await expectUnauthenticated(me(t, token));
    await expectUnauthenticated(createCart(t, token));
  }
};

describe.skipIf(missing('postgres'))('revocation survives a restart (no Redis: deny-list in memory)', () => {
  let db: TestDatabase;
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await db?.drop();
  });

  it('refuses logged-out, reuse-revoked and erased tokens after the process restarts', async () => {
    first = await startTestApp({}, { db });
    expect(first.runtime.platform.cache.kind).toBe('memory');
    const revoked = await revokeInEveryWay(first);
    const untouched = await register(first);
    await expectAllRefused(first, revoked);
    // a revocation whose token expired long ago: nothing to deny any more, the row only takes room
    const ds = first.runtime.platform.dataSource;
    const expiredJti = randomUUID();
    await ds.query(
      `INSERT INTO identity_revoked_access_tokens (jti, expires_at) VALUES ($1, now() - interval '1 hour')`,
      [expiredJti],
    );
    await first.close();
    first = undefined;

    second = await startTestApp({}, { db });
    await expectAllRefused(second, revoked);
    // revocation did not turn into "refuse everything"
    expect((await me(second, untouched.accessToken)).statusCode).toBe(200);
    expect((await addAddress(second, untouched.accessToken)).statusCode).toBe(201);
    // loading the deny-list purged the expired record
    const left: unknown[] = await second.runtime.platform.dataSource.query(
      'SELECT 1 FROM identity_revoked_access_tokens WHERE jti = $1',
      [expiredJti],
    );
    expect(left).toEqual([]);
  });

  it('answers from the deny-list it loaded at start, not from a database query per request', async () => {
    const t = second!;
    const { accessToken } = await register(t);
    const { jti, fid } = decodeJwt(accessToken) as { jti: string; fid: string };
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(accessToken),
    });
    expect(out.statusCode).toBe(204);
    await t.close();
    second = await startTestApp({}, { db });
    // take the revocation out of the database: only the deny-list loaded at start still knows it
    const ds = second.runtime.platform.dataSource;
    await ds.query('DELETE FROM identity_revoked_access_tokens WHERE jti = $1', [jti]);
    await ds.query('UPDATE identity_refresh_families SET revoked_at = NULL WHERE id = $1', [fid]);
    await expectUnauthenticated(me(second, accessToken));
  });
});

describe.skipIf(missing('postgres', 'redis'))('revocation survives Redis losing its keys', () => {
  // a key space of this suite's own: other suites share the Redis and must not see the flush
  const prefix = `shopcore-test-${randomBytes(6).toString('hex')}:`;
  const env = { REDIS_PREFIX: prefix };
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  const flushOurKeys = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  };
  const marker = `${prefix}identity:deny:loaded`;
  beforeAll(async () => {
    a = await startTestApp(env, { redis: true });
    b = await startTestApp(env, { redis: true, db: a.db });
    redis = new Redis(inject('redisUrl')!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    await flushOurKeys().catch(() => {});
    redis?.disconnect();
    await b?.close();
    await a?.close();
  });

  it('instance B refuses tokens revoked on A after a flush of the Redis keys, and the deny-list is rebuilt', async () => {
    expect(b.runtime.platform.cache.kind).toBe('redis');
    expect(await redis.exists(marker)).toBe(1); // loaded at start
    const revoked = await revokeInEveryWay(a);
    const untouched = await register(a);
    await expectAllRefused(b, revoked);

    await flushOurKeys(); // as a Redis restart or FLUSHDB would
    expect(await redis.exists(marker)).toBe(0);
    await expectAllRefused(b, revoked);
    await expectAllRefused(a, revoked);
    expect((await me(b, untouched.accessToken)).statusCode).toBe(200);

    // a logout on A while the deny-list is being rebuilt is honoured by B at once
    const late = await register(a);
    const out = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(late.accessToken),
    });
    expect(out.statusCode).toBe(204);
    await expectUnauthenticated(me(b, late.accessToken));

    // within a repair pass (every 2 s) an instance has rebuilt the deny-list from Postgres
    await waitFor(
      'the deny-list to be rebuilt in Redis',
      async () => (await redis.exists(marker)) === 1,
      8_000,
    );
    const { jti, fid } = decodeJwt(revoked.loggedOut) as { jti: string; fid: string };
    expect(await redis.exists(`${prefix}identity:deny:jti:${jti}`, `${prefix}identity:deny:fid:${fid}`)).toBe(
      2,
    );
    for (const token of [...revoked.reused, ...revoked.erased]) {
      const fidOf = (decodeJwt(token) as { fid: string }).fid;
      expect(await redis.exists(`${prefix}identity:deny:fid:${fidOf}`)).toBe(1);
    }
    await expectAllRefused(b, revoked);
    expect((await me(b, untouched.accessToken)).statusCode).toBe(200);
  });
});

describe.skipIf(missing('postgres'))('an erasure racing a login of the same account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leaves no session behind when the erasure commits after the login checked the password', async () => {
    const { email, customer } = await register(t);
    const other = new Client({ connectionString: t.db.url });
    await other.connect();
    try {
      // hold the account row, as an erasure in progress does
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM identity_users WHERE id = $1 FOR UPDATE', [customer.id]);
      const attempt = t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        ...json({ email, password: PASSWORD }),
      });
      // the login has checked the password and now waits for the row
      await waitFor('the login to wait for the account row', async () => {
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        return rows[0].n > 0;
      });
      await other.query(`UPDATE identity_users SET status = 'erased', erased_at = now() WHERE id = $1`, [
        customer.id,
      ]);
      await other.query('COMMIT');
      const res = await attempt;
      expect(res.statusCode, res.body).toBe(401);
      const { rows } = await other.query(
        'SELECT count(*)::int AS n FROM identity_refresh_families WHERE user_id = $1 AND revoked_at IS NULL',
        [customer.id],
      );
      expect(rows[0].n).toBe(1); // only the registration's session, which the erasure would revoke
    } finally {
      await other.end();
    }
  });
});
