import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json } from '../../support/http.js';
import { missing } from '../../support/skip.js';

let seq = 0;
const uniqueEmail = () => `shopper${Date.now()}${seq++}@example.com`;

describe.skipIf(missing('postgres'))('identity over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: 'root@shop.example', ADMIN_PASSWORD: 'admin-password-1' });
  });
  afterAll(async () => t?.close());

  const register = async (email = uniqueEmail(), password = 'correct horse battery') => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password, name: 'Ada Lovelace' }),
    });
    expect(res.statusCode).toBe(201);
    return { email, password, body: res.json() };
  };

  it('registers a customer and returns a profile and a token pair', async () => {
    const { email, body } = await register();
    expect(body.customer).toMatchObject({ email, name: 'Ada Lovelace', region: 'eu', roles: ['customer'] });
    expect(body.expiresIn).toBe(900);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body.customer);
  });

  it('answers 409 EMAIL_TAKEN for a second registration, whatever the case of the email', async () => {
    const { email } = await register();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: email.toUpperCase(), password: 'another password', name: 'B' }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 409, code: 'EMAIL_TAKEN' });
  });

  it('lists every invalid field of a registration and rejects unknown fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: 'not-an-email', password: 'short', admin: true }),
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'name']));
    expect(body.errors.length).toBeGreaterThanOrEqual(4); // + the unknown key
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('logs in with the same 401 for a wrong password and an unknown email', async () => {
    const { email, password } = await register();
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password }),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().accessToken).toBeTypeOf('string');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password: 'wrong password!' }),
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: uniqueEmail(), password: 'wrong password!' }),
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: { requestId: string }) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().code).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens and revokes the family when a spent one is reused', async () => {
    const { body } = await register();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      ...json({ refreshToken: body.refreshToken }),
    });
    expect(first.statusCode).toBe(200);
    const second = first.json();
    expect(second.refreshToken).not.toBe(body.refreshToken);

    // the spent token comes back: 401, and the whole family is revoked
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      ...json({ refreshToken: body.refreshToken }),
    });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe('UNAUTHENTICATED');
    const afterReuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      ...json({ refreshToken: second.refreshToken }),
    });
    expect(afterReuse.statusCode).toBe(401);
    // the access token of that family stops working too
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(second.accessToken) });
    expect(me.statusCode).toBe(401);
  });

  it('logout revokes the access token and its refresh family at once', async () => {
    const { body } = await register();
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(body.accessToken),
    });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      ...json({ refreshToken: body.refreshToken }),
    });
    expect(refresh.statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(body.accessToken),
    });
    expect(again.statusCode).toBe(401);
  });

  it('logout takes no body: the JSON content type with an empty body is fine too', async () => {
    const { body } = await register();
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...bearer(body.accessToken), 'content-type': 'application/json' },
      payload: '',
    });
    expect(out.statusCode, out.body).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(401);
  });

  it('rejects missing, malformed and tampered bearer tokens with 401 UNAUTHENTICATED', async () => {
    const { body } = await register();
    const tampered = `${body.accessToken.slice(0, -4)}AAAA`;
    for (const headers of [{}, { authorization: 'Basic abc' }, bearer('not.a.jwt'), bearer(tampered)]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a password of only whitespace (register and staff creation), and keeps spaces inside one', async () => {
    const blank = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: uniqueEmail(), password: ' '.repeat(10), name: 'Blank' }),
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'password', message: 'must not be only whitespace' }],
    });
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: 'root@shop.example', password: 'admin-password-1' }),
    });
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      ...json(
        { email: uniqueEmail(), password: '\u00a0'.repeat(12), name: 'Blank', roles: ['admin'] },
        bearer(admin.json().accessToken),
      ),
    });
    expect(staff.statusCode).toBe(400);
    expect(staff.json().errors).toEqual([{ path: 'password', message: 'must not be only whitespace' }]);
    // a passphrase with spaces, leading and trailing ones included, is a password like any other
    const spaced = await register(uniqueEmail(), '  correct horse  ');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: spaced.email, password: '  correct horse  ' }),
    });
    expect(login.statusCode).toBe(200);
  });

  it('manages addresses, exports and erases personal data', async () => {
    const { email, password, body } = await register();
    const h = bearer(body.accessToken);
    const address = { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'ie' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/addresses',
      ...json(address, h),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ ...address, country: 'IE', line2: null, phone: null });
    const id = created.json().id;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/me/addresses/${id}`,
      headers: { ...h, 'content-type': 'application/json' },
      payload: JSON.stringify({ city: 'Cork' }),
    });
    expect(patched.json().city).toBe('Cork');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me/addresses/not-a-uuid',
      ...json({ city: 'x' }, h),
    });
    expect(bad.statusCode).toBe(400);

    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/me/export', headers: h });
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({
      profile: { email },
      addresses: [{ id, city: 'Cork' }],
      orders: [],
    });

    // a second session of the same customer, on another device
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password }),
    });
    expect(other.statusCode).toBe(200);

    const erased = await t.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: h });
    expect(erased.statusCode).toBe(204);
    // every session ends with the erasure: the other device's access and refresh tokens too
    const otherMe = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(other.json().accessToken),
    });
    expect(otherMe.statusCode).toBe(401);
    const otherRefresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      ...json({ refreshToken: other.json().refreshToken }),
    });
    expect(otherRefresh.statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password }),
    });
    expect(login.statusCode).toBe(401);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h });
    expect(me.statusCode).toBe(401);
    const [row] = await t.runtime.platform.dataSource.query(
      'SELECT email, name, password_hash, status FROM identity_users WHERE id = $1',
      [body.customer.id],
    );
    expect(row).toMatchObject({ name: '', password_hash: '', status: 'erased' });
    expect(row.email).not.toContain(email.split('@')[0]);
    const addresses = await t.runtime.platform.dataSource.query(
      'SELECT 1 FROM identity_addresses WHERE user_id = $1',
      [body.customer.id],
    );
    expect(addresses).toEqual([]);
  });

  it('lets the first admin create staff, and forbids customers to', async () => {
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: 'root@shop.example', password: 'admin-password-1' }),
    });
    expect(admin.statusCode).toBe(200);
    expect(admin.json().customer.roles).toEqual(['admin']);
    const staff = {
      email: uniqueEmail(),
      password: 'warehouse-pass-1',
      name: 'Wendy',
      roles: ['inventory_manager'],
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { ...bearer(admin.json().accessToken), 'content-type': 'application/json' },
      payload: JSON.stringify(staff),
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email: staff.email, roles: ['inventory_manager'] });
    const staffLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: staff.email, password: staff.password }),
    });
    expect(staffLogin.json().customer.roles).toEqual(['inventory_manager']);

    const { body } = await register();
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { ...bearer(body.accessToken), 'content-type': 'application/json' },
      payload: JSON.stringify({ ...staff, email: uniqueEmail() }),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
  });

  it('writes CustomerRegistered to the outbox with ids only, and publishes it', async () => {
    const { email, body } = await register();
    const rows = await t.runtime.platform.dataSource.query(
      `SELECT type, subject, data, published_at FROM outbox WHERE subject = $1`,
      [body.customer.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'shopcore.identity.CustomerRegistered.v1',
      data: { customerId: body.customer.id, region: 'eu' },
    });
    expect(JSON.stringify(rows[0].data)).not.toContain(email);
    await expect
      .poll(
        async () =>
          (
            await t.runtime.platform.dataSource.query('SELECT published_at FROM outbox WHERE subject = $1', [
              body.customer.id,
            ])
          )[0].published_at,
        { timeout: 5000 },
      )
      .not.toBeNull();
  });

  it('re-hashes a password stored with older argon2 parameters at the next login, and counts logins', async () => {
    const { email, password, body } = await register();
    const weak = await hash(password, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await t.runtime.platform.dataSource.query('UPDATE identity_users SET password_hash = $2 WHERE id = $1', [
      body.customer.id,
      weak,
    ]);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password }),
    });
    expect(login.statusCode).toBe(200);
    const [row] = await t.runtime.platform.dataSource.query(
      'SELECT password_hash FROM identity_users WHERE id = $1',
      [body.customer.id],
    );
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password }),
    });
    expect(again.statusCode).toBe(200);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/auth_events_total\{outcome="login_ok"\} [1-9]/);
    expect(metrics).toMatch(/auth_events_total\{outcome="login_failed"\} [1-9]/);
  });

  it('serves the JWKS and the region preset', async () => {
    const jwks = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.statusCode).toBe(200);
    expect(jwks.json().keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.json().keys[0]).not.toHaveProperty('d');
    const region = await t.app.inject({ method: 'GET', url: '/api/v1/region' });
    expect(region.json()).toMatchObject({ code: 'eu', currency: 'EUR', pricesIncludeTax: true });
    expect(region.json().shippingOptions[0].price).toEqual({ amount: 495, currency: 'EUR' });
  });
});
