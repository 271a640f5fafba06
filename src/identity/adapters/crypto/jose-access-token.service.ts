import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
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
}

/**
 * ES256 access tokens with jose. The signing key comes from JWT_PRIVATE_KEY (PKCS#8 PEM) or, when
 * unset, is generated once per region and kept in identity_signing_keys so that every instance of the
 * region signs with the same key. `iss` names the region: another region's tokens do not verify here.
 */
export class JoseAccessTokenService implements AccessTokenService {
  private signing: { kid: string; key: KeyObject } | undefined;
  private readonly keys = new Map<string, VerificationKey>();
  private lastReload = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly opts: {
      region: string;
      ttlSeconds: number;
      privateKeyPem?: string | undefined;
      clock: Clock;
    },
  ) {}

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
      this.keys.set(kid, { kid, key: createPublicKey(key), jwk: { ...jwk, kid, alg: ALG, use: 'sig' } });
      await this.reload(true);
      return;
    }
    await this.reload(true);
    if (!this.signing) {
      const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      await this.dataSource.query(
        `INSERT INTO identity_signing_keys (kid, algorithm, public_jwk, private_pkcs8) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [kid, ALG, JSON.stringify({ ...jwk, kid, alg: ALG, use: 'sig' }), await exportPKCS8(privateKey)],
      );
      // Several instances may race here: everyone adopts the oldest active key.
      await this.reload(true);
    }
    if (!this.signing) throw new Error('no signing key available');
  }

  private async reload(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastReload < 10_000) return;
    this.lastReload = now;
    const rows: { kid: string; public_jwk: JWK; private_pkcs8: string; retired_at: Date | null }[] =
      await this.dataSource.query(
        'SELECT kid, public_jwk, private_pkcs8, retired_at FROM identity_signing_keys ORDER BY created_at, kid',
      );
    for (const row of rows) {
      if (!this.keys.has(row.kid)) {
        this.keys.set(row.kid, {
          kid: row.kid,
          key: createPublicKey({ key: row.public_jwk as never, format: 'jwk' }),
          jwk: row.public_jwk,
        });
      }
    }
    if (!this.opts.privateKeyPem) {
      const active = rows.find((r) => r.retired_at === null);
      if (active) this.signing = { kid: active.kid, key: createPrivateKey(active.private_pkcs8) };
    }
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
          if (!found) throw new Error('unknown key id');
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
    return { keys: [...this.keys.values()].map((k) => ({ ...k.jwk, kid: k.kid, alg: ALG, use: 'sig' })) };
  }
}
