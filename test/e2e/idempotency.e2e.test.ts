import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { missing } from '../support/skip.js';

describe.skipIf(missing('postgres'))('Idempotency-Key on POST', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: `idem${Date.now()}@example.com`,
        password: 'a long password',
        name: 'Ida',
      }),
    });
    token = reg.json().accessToken;
  });
  afterAll(async () => t?.close());

  const address = { name: 'Ida', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' };
  const post = (key: string | undefined, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/me/addresses',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      payload: JSON.stringify(body),
    });
  const count = async () =>
    (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/me/addresses',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json().items.length as number;

  it('replays the first response for the same key and body, and does the work once', async () => {
    const before = await count();
    const first = await post('key-1', address);
    expect(first.statusCode).toBe(201);
    const again = await post('key-1', { ...address }); // same body, keys in another order is still the same body
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count()).toBe(before + 1);
  });

  it('rejects the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    expect((await post('key-2', address)).statusCode).toBe(201);
    const other = await post('key-2', { ...address, city: 'Cork' });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('rejects a malformed key with 400 and treats requests without a key normally', async () => {
    const bad = await post('has spaces in it', address);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('headers.idempotency-key');
    const before = await count();
    expect((await post(undefined, address)).statusCode).toBe(201);
    expect((await post(undefined, address)).statusCode).toBe(201);
    expect(await count()).toBe(before + 2);
  });

  it('produces one effect when duplicates race', async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 8 }, () => post('key-race', address)));
    const created = results.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results) expect([201, 409]).toContain(r.statusCode);
    expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('never stores responses that carry credentials (login)', async () => {
    const body = { email: 'nobody@example.com', password: 'wrong password!' };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'login-1' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode).toBe(401);
    const rows = await t.runtime.platform.dataSource.query(
      "SELECT 1 FROM idempotency_keys WHERE key = 'login-1'",
    );
    expect(rows).toEqual([]);
  });
});
