import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../application/identity.ports.js';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, not importable as a value). */
const ARGON2ID = 2;
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id through @node-rs/argon2 (prebuilt, runs off the event loop). See docs/adr/0004. */
export class Argon2PasswordHasher implements PasswordHasher {
  constructor(private readonly params: { memoryCost: number; timeCost: number } = PARAMS) {}

  hash(password: string): Promise<string> {
    return hash(password, { ...PARAMS, ...this.params });
  }

  needsRehash(stored: string): boolean {
    const { memoryCost, timeCost } = { ...PARAMS, ...this.params };
    return !stored.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${PARAMS.parallelism}$`);
  }

  async verify(stored: string, password: string): Promise<boolean> {
    if (!stored.startsWith('$argon2')) return false;
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}
