import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../../platform/clock.js';
import { UnauthenticatedError } from '../../../platform/errors.js';
import type { Role as PlatformRole, Principal } from '../../../platform/http/auth.js';
import { newId } from '../../../platform/ids.js';
import type { AccessTokenService, IssuedAccessToken } from '../../application/identity.ports.js';
import type { Role } from '../../domain/user.aggregate.js';

const ALG = 'ES256';
export const AUDIENCE = 'shopcore';
export const issuerFor = (region: string): string => `urn:shopcore:${region}`;

interface VerificationKey {
  kid: string;
  key: KeyObject;
  jwk: JWK;
  /** when it stops verifying (its retirement plus the grace period); never while it signs */
  validUntil: number;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_pkcs8: string | null;
  retired_at: Date | null;
}

const ENCRYPTED = 'enc:v1:';

/**
 * The generated key's private half at rest: AES-256-GCM under a key derived (HKDF-SHA256) from
 * JWT_KEY_ENCRYPTION_KEY, the kid as associated data (a ciphertext moved to another row does not
 * decrypt). Stored as `enc:v1:<iv>:<tag>:<ciphertext>`, base64url.
 */
export const keyCipher = (secret: string) => {
  const key = Buffer.from(hkdfSync('sha256', secret, 'shopcore-jwt-signing-key', 'aes-256-gcm', 32));
  return {
    seal(kid: string, pkcs8: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(kid));
      const body = Buffer.concat([cipher.update(pkcs8, 'utf8'), cipher.final()]);
      return `${ENCRYPTED}${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join(':')}`;
    },
    open(kid: string, stored: string): string {
      const [iv, tag, body] = stored
        .slice(ENCRYPTED.length)
        .split(':')
        .map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key, iv as Buffer)
        .setAAD(Buffer.from(kid))
        .setAuthTag(tag as Buffer);
      return Buffer.concat([decipher.update(body as Buffer), decipher.final()]).toString('utf8');
    },
  };
};

/**
 * ES256 access tokens with jose. The signing key is JWT_PRIVATE_KEY (PKCS#8 PEM) or, when unset, one
 * generated once per region and kept in identity_signing_keys — its private half encrypted under
 * JWT_KEY_ENCRYPTION_KEY (required for that in production; plaintext only in development) — so that
 * every instance of the region signs with the same key. `iss` names the region: another region's
 * tokens do not verify here.
 *
 * Rotation with a grace period: every signing key is recorded in identity_signing_keys (a
 * JWT_PRIVATE_KEY by its public half only). An instance that starts with a new JWT_PRIVATE_KEY retires
 * the keys signed with before; a retired key still verifies, and stays in the JWKS, for
 * JWT_ROTATION_GRACE_SECONDS, so the tokens it signed keep working until they expire and no one is
 * logged out. Instances learn each other's keys from the table (on an unknown kid, at most every 10 s).
 */
export class JoseAccessTokenService implements AccessTokenService {
  private signing: { kid: string; key: KeyObject } | undefined;
  private keys = new Map<string, VerificationKey>();
  private lastReload = 0;
  private readonly cipher;

  constructor(
    private readonly dataSource: DataSource,
    private readonly opts: {
      region: string;
      ttlSeconds: number;
      privateKeyPem?: string | undefined;
      encryptionKey?: string | undefined;
      rotationGraceSeconds?: number;
      clock: Clock;
    },
  ) {
    this.cipher = opts.encryptionKey ? keyCipher(opts.encryptionKey) : undefined;
  }

  get issuer(): string {
    return issuerFor(this.opts.region);
  }

  async init(): Promise<void> {
    if (this.opts.privateKeyPem) {
      const key = createPrivateKey(this.opts.privateKeyPem.replace(/\\n/g, '\n'));
      if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error('JWT_PRIVATE_KEY must be an EC P-256 private key (PKCS#8 PEM) for ES256');
      }
      const jwk = await exportJWK(createPublicKey(key));
      const kid = await calculateJwkThumbprint(jwk);
      this.signing = { kid, key };
      // recorded by its public half; the keys signed with before are retired (they verify for the grace)
      const now = this.opts.clock.now();
      await this.dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO identity_signing_keys (kid, algorithm, public_jwk, private_pkcs8, created_at)
           VALUES ($1, $2, $3, NULL, $4)
           ON CONFLICT (kid) DO UPDATE SET retired_at = NULL`,
          [kid, ALG, JSON.stringify({ ...jwk, kid, alg: ALG, use: 'sig' }), now],
        );
        await m.query(
          'UPDATE identity_signing_keys SET retired_at = $2 WHERE kid <> $1 AND retired_at IS NULL',
          [kid, now],
        );
      });
      await this.reload(true);
      return;
    }
    await this.reload(true);
    if (!this.signing) {
      const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      const pkcs8 = await exportPKCS8(privateKey);
      await this.dataSource.query(
        `INSERT INTO identity_signing_keys (kid, algorithm, public_jwk, private_pkcs8, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [
          kid,
          ALG,
          JSON.stringify({ ...jwk, kid, alg: ALG, use: 'sig' }),
          this.cipher ? this.cipher.seal(kid, pkcs8) : pkcs8,
          this.opts.clock.now(),
        ],
      );
      // Several instances may race here: everyone adopts the oldest active key.
      await this.reload(true);
    }
    if (!this.signing) throw new Error('no signing key available');
  }

  private async reload(force = false): Promise<void> {
    const now = this.opts.clock.now().getTime();
    if (!force && now - this.lastReload < 10_000) return;
    this.lastReload = now;
    const rows: KeyRow[] = await this.dataSource.query(
      'SELECT kid, public_jwk, private_pkcs8, retired_at FROM identity_signing_keys ORDER BY created_at, kid',
    );
    const graceMs = (this.opts.rotationGraceSeconds ?? 1800) * 1000;
    const keys = new Map<string, VerificationKey>();
    for (const row of rows) {
      const validUntil =
        row.kid === this.signing?.kid || row.retired_at === null
          ? Number.POSITIVE_INFINITY
          : new Date(row.retired_at).getTime() + graceMs;
      if (validUntil <= now) continue;
      keys.set(row.kid, {
        kid: row.kid,
        key: this.keys.get(row.kid)?.key ?? createPublicKey({ key: row.public_jwk as never, format: 'jwk' }),
        jwk: row.public_jwk,
        validUntil,
      });
    }
    this.keys = keys;
    if (!this.opts.privateKeyPem) {
      const active = rows.find((r) => r.retired_at === null && r.private_pkcs8 !== null);
      if (active) this.signing = { kid: active.kid, key: createPrivateKey(await this.privateOf(active)) };
    }
  }

  /** The PKCS#8 of a generated key: decrypted; a plaintext one (stored before) is encrypted in place. */
  private async privateOf(row: KeyRow): Promise<string> {
    const stored = row.private_pkcs8 ?? '';
    if (stored.startsWith(ENCRYPTED)) {
      if (!this.cipher) throw new Error(`signing key ${row.kid} is encrypted: set JWT_KEY_ENCRYPTION_KEY`);
      try {
        return this.cipher.open(row.kid, stored);
      } catch {
        throw new Error(`JWT_KEY_ENCRYPTION_KEY does not decrypt signing key ${row.kid}`);
      }
    }
    if (this.cipher) {
      await this.dataSource.query(
        'UPDATE identity_signing_keys SET private_pkcs8 = $2 WHERE kid = $1 AND private_pkcs8 = $3',
        [row.kid, this.cipher.seal(row.kid, stored), stored],
      );
    }
    return stored;
  }

  async issue(subject: {
    userId: string;
    roles: readonly Role[];
    familyId: string;
  }): Promise<IssuedAccessToken> {
    if (!this.signing) throw new Error('JoseAccessTokenService.init() was not called');
    const now = this.opts.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.opts.ttlSeconds;
    const jti = newId();
    const token = await new SignJWT({ roles: [...subject.roles], fid: subject.familyId })
      .setProtectedHeader({ alg: ALG, kid: this.signing.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setSubject(subject.userId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.signing.key);
    return { token, jti, expiresIn: this.opts.ttlSeconds, expiresAt: new Date(exp * 1000) };
  }

  async verify(token: string): Promise<Principal & { familyId: string }> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const kid = header.kid ?? '';
          if (!this.keys.has(kid)) await this.reload();
          const found = this.keys.get(kid);
          if (!found || found.validUntil <= this.opts.clock.now().getTime())
            throw new Error('unknown key id');
          return found.key;
        },
        {
          issuer: this.issuer,
          audience: AUDIENCE,
          algorithms: [ALG],
          typ: 'at+jwt',
          currentDate: this.opts.clock.now(),
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        },
      );
      const roles = Array.isArray(payload.roles) ? (payload.roles as PlatformRole[]) : [];
      if (typeof payload.fid !== 'string') throw new Error('missing fid');
      return {
        userId: payload.sub!,
        roles,
        tokenId: payload.jti!,
        familyId: payload.fid,
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch {
      throw new UnauthenticatedError('The access token is invalid or expired');
    }
  }

  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    await this.reload();
    const now = this.opts.clock.now().getTime();
    return {
      keys: [...this.keys.values()]
        .filter((k) => k.validUntil > now)
        .map((k) => ({ ...k.jwk, kid: k.kid, alg: ALG, use: 'sig' })),
    };
  }
}
