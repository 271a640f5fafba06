import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';

const json = (body: unknown) => ({
  payload: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let seq = 0;
const uniqueEmail = (region: string) => `traveller-${region}-${Date.now()}${seq++}@example.com`;

const newP256Pem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

const register = async (t: TestApp) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    ...json({ email: uniqueEmail(t.config.REGION), password: 'correct horse battery', name: 'Marco Polo' }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { customer: { id: string }; accessToken: string };
};

const me = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });

const expectUnauthenticated = async (t: TestApp, token: string) => {
  const res = await me(t, token);
  expect(res.statusCode, res.body).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code).toBe('UNAUTHENTICATED');
};

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.skipIf(missing('postgres'))('access tokens across regions, each region with its own key', () => {
  let eu: TestApp;
  let us: TestApp;
  beforeAll(async () => {
    [eu, us] = await Promise.all([startTestApp({ REGION: 'eu' }), startTestApp({ REGION: 'us' })]);
  });
  afterAll(async () => {
    await Promise.all([eu?.close(), us?.close()]);
  });

  it('a token minted in us works in us and is refused with 401 in eu', async () => {
    const { accessToken, customer } = await register(us);
    const home = await me(us, accessToken);
    expect(home.statusCode).toBe(200);
    expect(home.json()).toMatchObject({ id: customer.id, region: 'us' });
    expect(decodeJwt(accessToken).iss).not.toBe(decodeJwt((await register(eu)).accessToken).iss);
    await expectUnauthenticated(eu, accessToken);
  });

  it('a token minted in eu is refused with 401 in us', async () => {
    const { accessToken } = await register(eu);
    expect((await me(eu, accessToken)).statusCode).toBe(200);
    await expectUnauthenticated(us, accessToken);
  });

  it('the regions publish different keys', async () => {
    const euKeys = (await eu.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys;
    const usKeys = (await us.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys;
    const euKids = euKeys.map((k: { kid: string }) => k.kid);
    for (const k of usKeys) expect(euKids).not.toContain(k.kid);
  });
});

describe.skipIf(missing('postgres'))('access tokens across regions sharing one JWT_PRIVATE_KEY', () => {
  const sharedPem = newP256Pem();
  const sharedKey: KeyObject = createPrivateKey(sharedPem);
  let eu: TestApp;
  let us: TestApp;
  /** claims and header of a genuine eu token, to forge variants of */
  let genuine: { kid: string; payload: JWTPayload; token: string };

  beforeAll(async () => {
    [eu, us] = await Promise.all([
      startTestApp({ REGION: 'eu', JWT_PRIVATE_KEY: sharedPem }),
      startTestApp({ REGION: 'us', JWT_PRIVATE_KEY: sharedPem }),
    ]);
    const { accessToken } = await register(eu);
    genuine = {
      kid: String(decodeProtectedHeader(accessToken).kid),
      payload: decodeJwt(accessToken),
      token: accessToken,
    };
  });
  afterAll(async () => {
    await Promise.all([eu?.close(), us?.close()]);
  });

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  /** A token signed with `key`, with the genuine eu claims unless overridden. */
  const forge = async (
    opts: {
      key?: KeyObject;
      kid?: string;
      typ?: string;
      iss?: string;
      aud?: string;
      iat?: number;
      exp?: number;
      alg?: string;
    } = {},
  ): Promise<string> => {
    const p = genuine.payload;
    const iat = opts.iat ?? nowSeconds();
    return new SignJWT({ roles: p.roles, fid: p.fid })
      .setProtectedHeader({
        alg: opts.alg ?? 'ES256',
        kid: opts.kid ?? genuine.kid,
        typ: opts.typ ?? 'at+jwt',
      })
      .setIssuer(opts.iss ?? String(p.iss))
      .setAudience(opts.aud ?? (p.aud as string))
      .setSubject(String(p.sub))
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(opts.exp ?? iat + 300)
      .sign(opts.key ?? sharedKey);
  };

  it('both regions sign with the shared key', async () => {
    const { accessToken } = await register(us);
    expect(decodeProtectedHeader(accessToken).kid).toBe(genuine.kid);
    expect(decodeJwt(accessToken).iss).not.toBe(genuine.payload.iss);
  });

  it('a token minted in us is accepted by us and refused by eu, although the signature verifies', async () => {
    const { accessToken, customer } = await register(us);
    const home = await me(us, accessToken);
    expect(home.statusCode).toBe(200);
    expect(home.json().id).toBe(customer.id);
    await expectUnauthenticated(eu, accessToken);
    await expectUnauthenticated(us, genuine.token);
  });

  it('accepts a token forged with the right key and claims (control for the cases below)', async () => {
    const res = await me(eu, await forge());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().id).toBe(genuine.payload.sub);
  });

  it('refuses a token with the right issuer signed by another key', async () => {
    const otherKey = createPrivateKey(newP256Pem());
    await expectUnauthenticated(eu, await forge({ key: otherKey }));
    // also when it names a key id the region does not know
    await expectUnauthenticated(eu, await forge({ key: otherKey, kid: 'someone-elses-key' }));
  });

  it('refuses a correctly signed token whose issuer is another region', async () => {
    await expectUnauthenticated(
      eu,
      await forge({ iss: String(decodeJwt((await register(us)).accessToken).iss) }),
    );
  });

  it('refuses an expired token', async () => {
    const iat = nowSeconds() - 1000;
    await expectUnauthenticated(eu, await forge({ iat, exp: iat + 900 }));
    await expectUnauthenticated(eu, await forge({ iat: nowSeconds() - 60, exp: nowSeconds() - 2 }));
  });

  it('refuses a token for another audience or of another type', async () => {
    await expectUnauthenticated(eu, await forge({ aud: 'someone-else' }));
    await expectUnauthenticated(eu, await forge({ typ: 'JWT' }));
  });

  it('refuses an unsigned token (alg none)', async () => {
    const p = genuine.payload;
    const now = nowSeconds();
    const claims = { ...p, jti: crypto.randomUUID(), iat: now, exp: now + 300 };
    for (const header of [
      { alg: 'none', typ: 'at+jwt', kid: genuine.kid },
      { alg: 'none', typ: 'at+jwt' },
      { alg: 'None', typ: 'at+jwt', kid: genuine.kid },
    ]) {
      await expectUnauthenticated(eu, `${b64url(header)}.${b64url(claims)}.`);
      await expectUnauthenticated(eu, `${b64url(header)}.${b64url(claims)}`);
    }
  });

  it('refuses a token signed with HS256 (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode('a shared secret that is long enough for hs256');
    const p = genuine.payload;
    const now = nowSeconds();
    const token = await new SignJWT({ roles: p.roles, fid: p.fid })
      .setProtectedHeader({ alg: 'HS256', kid: genuine.kid, typ: 'at+jwt' })
      .setIssuer(String(p.iss))
      .setAudience(p.aud as string)
      .setSubject(String(p.sub))
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(secret);
    await expectUnauthenticated(eu, token);
  });
});
