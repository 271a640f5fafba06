import { createHash, randomBytes } from 'node:crypto';
import type { RefreshTokenCodec } from '../../application/identity.ports.js';

/** 256 random bits, base64url; only the SHA-256 of it is stored, so a database leak yields no usable token. */
export const opaqueRefreshTokenCodec: RefreshTokenCodec = {
  generate() {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    return { token, hash: createHash('sha256').update(token).digest('base64url') };
  },
  hash(token: string) {
    return createHash('sha256').update(token).digest('base64url');
  },
};
