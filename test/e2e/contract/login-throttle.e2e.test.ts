import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accountKey } from '../../../src/identity/adapters/limits/flexible.password-attempt-limiter.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, expectProblem, json } from '../../support/http.js';
import { type CuttableProxy, proxiedService } from '../../support/proxy.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

/**
 * Password guesses are counted per account, whatever address they come from (OWASP ASVS 2.2.1,
 * ADR 0026). The app believes X-Forwarded-For (TRUST_PROXY=true), so each request below can come
 * from an address of its own, as a botnet's would: the per-IP limits never see two of them.
 */
const MAX_FAILURES = 3;
const WINDOW_SECONDS = 4;
const PASSWORD = 'correct horse battery';

let seq = 0;
const uniqueEmail = () => `throttle${Date.now()}${seq++}@example.com`;
/** A client address never used before (TEST-NET-3 and beyond). */
let host = 0;
const nextAddress = () => {
  host++;
  return `198.${18 + (host >> 16)}.${(host >> 8) & 255}.${host & 255}`;
};

const throttleEnv = {
  TRUST_PROXY: 'true',
  LOGIN_FAILURES_PER_ACCOUNT: String(MAX_FAILURES),
  LOGIN_FAILURE_WINDOW_SECONDS: String(WINDOW_SECONDS),
};

const register = async (t: TestApp, email = uniqueEmail()) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    ...json({ email, password: PASSWORD, name: 'Ada' }, { 'x-forwarded-for': nextAddress() }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { email, accessToken: res.json().accessToken as string };
};

const login = (t: TestApp, email: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    ...json({ email, password }, { 'x-forwarded-for': nextAddress() }),
  });

const expectThrottled = (res: LightMyRequestResponse) => {
  expectProblem(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
};

describe.skipIf(missing('postgres'))('password attempts per account (in memory, one instance)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(throttleEnv);
  });
  afterAll(async () => t?.close());

  it('60 wrong passwords from 60 addresses, then the right one: 429 RATE_LIMITED with Retry-After; after the window, 200', async () => {
    const { email } = await register(t);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(t, email, `wrong password ${i}`)).statusCode);
    // the first MAX_FAILURES are checked (401); every later one is refused unchecked
    expect(statuses.slice(0, MAX_FAILURES)).toEqual(Array(MAX_FAILURES).fill(401));
    expect(statuses.slice(MAX_FAILURES)).toEqual(Array(60 - MAX_FAILURES).fill(429));

    const right = await login(t, email, PASSWORD);
    expectThrottled(right);
    expect(right.json().accessToken).toBeUndefined();

    // the window is bounded: the account is not locked for good
    const later = await pollUntil(
      () => login(t, email, PASSWORD),
      (r) => r.statusCode !== 429,
      (WINDOW_SECONDS + 3) * 1000,
      250,
    );
    expect(later.statusCode, later.body).toBe(200);
  });

  it('a successful login starts the count again', async () => {
    const { email } = await register(t);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < MAX_FAILURES - 1; i++)
        expect((await login(t, email, 'wrong password')).statusCode).toBe(401);
      expect((await login(t, email, PASSWORD)).statusCode).toBe(200);
    }
  });

  it('an email without an account is counted and answered the same way', async () => {
    const { email: existing } = await register(t);
    const unknown = uniqueEmail();
    const answers = async (email: string) => {
      const out: LightMyRequestResponse[] = [];
      for (let i = 0; i < MAX_FAILURES + 1; i++) out.push(await login(t, email, 'wrong password'));
      return out;
    };
    const [forExisting, forUnknown] = [await answers(existing), await answers(unknown)];
    const shape = (r: LightMyRequestResponse) => {
      const { requestId: _r, detail: _d, ...rest } = r.json();
      return { status: r.statusCode, retryAfter: r.headers['retry-after'] !== undefined, ...rest };
    };
    expect(forUnknown.map(shape)).toEqual(forExisting.map(shape));
    expectThrottled(forUnknown.at(-1)!);
    // the email is what is counted, whatever its case or surrounding spaces
    expectThrottled(await login(t, `  ${unknown.toUpperCase()} `, 'wrong password'));
  });

  describe('PATCH /api/v1/me: changing the email takes the current password', () => {
    const patchMe = (token: string, body: unknown) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        ...json(body, { ...bearer(token), 'x-forwarded-for': nextAddress() }),
      });

    it('a name-only change, or the same email, needs no password', async () => {
      const { email, accessToken } = await register(t);
      const renamed = await patchMe(accessToken, { name: 'Ada King' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: 'Ada King', email });
      const same = await patchMe(accessToken, { name: 'Ada', email: email.toUpperCase() });
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json()).toMatchObject({ name: 'Ada', email });
    });

    it('without currentPassword: 400 VALIDATION_FAILED naming it; a wrong one: 403 FORBIDDEN; the email stays', async () => {
      const { email, accessToken } = await register(t);
      const taken = uniqueEmail();
      const missingPassword = await patchMe(accessToken, { email: taken });
      expectProblem(missingPassword, 400, 'VALIDATION_FAILED', ['currentPassword']);
      const wrong = await patchMe(accessToken, { email: taken, currentPassword: 'not my password' });
      expectProblem(wrong, 403, 'FORBIDDEN');
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) });
      expect(me.json().email).toBe(email);
      expect((await login(t, taken, PASSWORD)).statusCode).toBe(401);
    });

    it('with the right password the email changes: the new one logs in, the old one no longer does', async () => {
      const { email, accessToken } = await register(t);
      const next = uniqueEmail();
      const changed = await patchMe(accessToken, { email: next, currentPassword: PASSWORD });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().email).toBe(next);
      expect((await login(t, next, PASSWORD)).statusCode).toBe(200);
      expect((await login(t, email, PASSWORD)).statusCode).toBe(401);
    });

    it('wrong current passwords count against the account like failed logins: then 429, for logins too', async () => {
      const { email, accessToken } = await register(t);
      const next = uniqueEmail();
      for (let i = 0; i < MAX_FAILURES; i++) {
        expectProblem(
          await patchMe(accessToken, { email: next, currentPassword: `guess ${i}` }),
          403,
          'FORBIDDEN',
        );
      }
      expectThrottled(await patchMe(accessToken, { email: next, currentPassword: PASSWORD }));
      expectThrottled(await login(t, email, PASSWORD));
      // a name-only change takes no password and is not refused
      expect((await patchMe(accessToken, { name: 'Still Ada' })).statusCode).toBe(200);
    });
  });
});

describe.skipIf(missing('postgres', 'redis'))('password attempts per account (Redis, two instances)', () => {
  // a key space of this suite's own
  const prefix = `shopcore-test-${randomBytes(6).toString('hex')}:`;
  let a: TestApp;
  let b: TestApp;
  let proxy: CuttableProxy;
  let redis: Redis;
  const ourKeys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };

  beforeAll(async () => {
    const proxied = await proxiedService(inject('redisUrl')!, 6379);
    proxy = proxied.proxy;
    // A reaches Redis through a proxy the test can cut; B directly
    a = await startTestApp({ ...throttleEnv, REDIS_PREFIX: prefix, REDIS_URL: proxied.url }, { redis: true });
    b = await startTestApp({ ...throttleEnv, REDIS_PREFIX: prefix }, { redis: true, db: a.db });
    redis = new Redis(inject('redisUrl')!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  afterAll(async () => {
    if (proxy && !proxy.isOpen) await proxy.open(proxy.port);
    const keys = await ourKeys().catch(() => []);
    if (keys.length > 0) await redis.unlink(...keys);
    redis?.disconnect();
    await b?.close();
    await a?.close();
    await proxy?.cut();
  });

  it('counts an account once for the region: failures on A and B add up; the key holds a hash, not the email', async () => {
    const { email } = await register(a);
    expect((await login(a, email, 'wrong password')).statusCode).toBe(401);
    expect((await login(b, email, 'wrong password')).statusCode).toBe(401);
    expect((await login(a, email, 'wrong password')).statusCode).toBe(401);
    expectThrottled(await login(b, email, PASSWORD));
    expectThrottled(await login(a, email, PASSWORD));

    // the count is in Redis under a SHA-256 of the email; no key of the region holds the address
    expect(await redis.get(`${prefix}login-fail:${accountKey(email)}`)).toBe(String(MAX_FAILURES + 2));
    const local = email.split('@')[0]!;
    for (const key of await ourKeys()) expect(key.toLowerCase()).not.toContain(local);
  });

  it('keeps counting in memory while Redis is away', async () => {
    const { email } = await register(a);
    await proxy.cut();
    try {
      for (let i = 0; i < MAX_FAILURES; i++)
        expect((await login(a, email, 'wrong password')).statusCode).toBe(401);
      expectThrottled(await login(a, email, PASSWORD));
    } finally {
      await proxy.open(proxy.port);
    }
    // counted in A's memory alone: Redis never saw these attempts
    expect(await redis.exists(`${prefix}login-fail:${accountKey(email)}`)).toBe(0);
  });
});
