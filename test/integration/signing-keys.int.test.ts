import { generateKeyPairSync } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JoseAccessTokenService } from '../../src/identity/adapters/crypto/jose.access-token-service.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

const pem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
const subject = {
  userId: '0190a0b0-0000-7000-8000-000000000001',
  roles: ['customer'] as const,
  familyId: 'f1',
};

/** The region's signing keys in identity_signing_keys: encrypted at rest, rotated with a grace period. */
describe.skipIf(missing('postgres'))('access-token signing keys (JoseAccessTokenService)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const clock = new ManualClock('2026-12-04T00:00:00Z');
  // tokens that outlive the grace period, so that it is the key, not the expiry, that ends them
  const service = (opts: { privateKeyPem?: string; encryptionKey?: string }) =>
    new JoseAccessTokenService(ds, {
      region: 'eu',
      ttlSeconds: 7200,
      rotationGraceSeconds: 1800,
      clock,
      ...opts,
    });
  const kids = async (s: JoseAccessTokenService) => (await s.jwks()).keys.map((k) => k.kid).sort();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 3, entities: [] });
    await ds.initialize();
  });
  beforeEach(async () => {
    await ds.query('DELETE FROM identity_signing_keys');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('stores a generated key encrypted, shares it with every instance that has the key, refuses a wrong one', async () => {
    const encryptionKey = 'an-encryption-key-of-32-characters-or-more';
    const a = service({ encryptionKey });
    await a.init();
    const [row] = await ds.query('SELECT kid, private_pkcs8 FROM identity_signing_keys');
    expect(row.private_pkcs8).toMatch(/^enc:v1:/);
    expect(row.private_pkcs8).not.toContain('PRIVATE KEY');
    const b = service({ encryptionKey });
    await b.init();
    const token = (await a.issue(subject)).token;
    expect((await b.verify(token)).userId).toBe(subject.userId);
    expect(
      JSON.parse(Buffer.from((await b.issue(subject)).token.split('.')[0]!, 'base64url').toString()).kid,
    ).toBe(row.kid);
    await expect(service({ encryptionKey: 'another-key-of-thirty-two-characters!!' }).init()).rejects.toThrow(
      `JWT_KEY_ENCRYPTION_KEY does not decrypt signing key ${row.kid}`,
    );
    await expect(service({}).init()).rejects.toThrow(`signing key ${row.kid} is encrypted`);
  });

  it('encrypts a key stored in plaintext before, in place, once given an encryption key', async () => {
    await service({}).init(); // development: no encryption key
    const [before] = await ds.query('SELECT private_pkcs8 FROM identity_signing_keys');
    expect(before.private_pkcs8).toContain('BEGIN PRIVATE KEY');
    const s = service({ encryptionKey: 'an-encryption-key-of-32-characters-or-more' });
    await s.init();
    const [after] = await ds.query('SELECT private_pkcs8 FROM identity_signing_keys');
    expect(after.private_pkcs8).toMatch(/^enc:v1:/);
    expect(await s.verify((await s.issue(subject)).token)).toMatchObject({ userId: subject.userId });
  });

  it('rotates JWT_PRIVATE_KEY without logging anyone out: the old key verifies, and is listed, for the grace period', async () => {
    const old = service({ privateKeyPem: pem() });
    await old.init();
    const oldToken = (await old.issue(subject)).token;
    const [oldKid] = await kids(old);

    clock.advance(60_000);
    const rotated = service({ privateKeyPem: pem() }); // a pod of the rollout, with the new key
    await rotated.init();
    const newToken = (await rotated.issue(subject)).token;
    const both = await kids(rotated);
    expect(both).toHaveLength(2);
    expect(both).toContain(oldKid);
    // each verifies the other's tokens: old pods learn the new key from the table
    expect((await rotated.verify(oldToken)).userId).toBe(subject.userId);
    clock.advance(11_000); // past the reload interval of an unknown kid
    expect((await old.verify(newToken)).userId).toBe(subject.userId);
    // the private half of a JWT_PRIVATE_KEY is never stored
    expect(
      await ds.query('SELECT count(*)::int AS n FROM identity_signing_keys WHERE private_pkcs8 IS NOT NULL'),
    ).toEqual([{ n: 0 }]);

    // near the end of the grace period the old key still verifies; after it, neither verifies nor is listed
    clock.advance(1700 * 1000);
    expect((await rotated.verify(oldToken)).userId).toBe(subject.userId);
    clock.advance(100 * 1000);
    await expect(rotated.verify(oldToken)).rejects.toThrow('The access token is invalid or expired');
    expect(await kids(rotated)).toEqual(both.filter((k) => k !== oldKid));
  });
});
