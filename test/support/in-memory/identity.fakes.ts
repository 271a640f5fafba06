import { opaqueRefreshTokenCodec } from '../../../src/identity/adapters/crypto/opaque-refresh-token.codec.js';
import type { IdentityDeps } from '../../../src/identity/application/identity.deps.js';
import type {
  AccessTokenService,
  GuestCartAdoption,
  IssuedAccessToken,
  PasswordAttemptLimiter,
  PasswordAttemptVerdict,
  PasswordHasher,
  PersonalDataSource,
  Revocation,
  TokenDenyList,
} from '../../../src/identity/application/identity.ports.js';
import { identityEventMapper } from '../../../src/identity/application/identity-event.mapper.js';
import { type Role, User } from '../../../src/identity/domain/user.aggregate.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { UnauthenticatedError } from '../../../src/platform/errors.js';
import { type Id, newId } from '../../../src/platform/ids.js';
import type { Principal } from '../../../src/platform/principal.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import { type InMemoryIdentityRepos, inMemoryIdentityRepos } from './identity.repositories.js';

/**
 * A password hasher without the cost of argon2: `v2$<password>` (`v1$…` is a hash made with older
 * parameters, which needsRehash flags). It counts what it did so tests can see the dummy check.
 */
export class FakePasswordHasher implements PasswordHasher {
  hashed = 0;
  verified: { hash: string; password: string }[] = [];

  async hash(password: string): Promise<string> {
    this.hashed++;
    return `v2$${password}`;
  }

  async verify(hash: string, password: string): Promise<boolean> {
    this.verified.push({ hash, password });
    return hash === `v2$${password}` || hash === `v1$${password}`;
  }

  needsRehash(hash: string): boolean {
    return !hash.startsWith('v2$');
  }
}

/** Access tokens `at-<n>` living `ttlSeconds` on the clock; `verify` knows the ones it issued. */
export class FakeAccessTokenService implements AccessTokenService {
  readonly issued: (IssuedAccessToken & { userId: Id; roles: readonly Role[]; familyId: Id })[] = [];

  constructor(
    private readonly clock: ManualClock,
    readonly ttlSeconds = 900,
  ) {}

  async issue(subject: { userId: Id; roles: readonly Role[]; familyId: Id }): Promise<IssuedAccessToken> {
    const token = {
      token: `at-${this.issued.length + 1}`,
      jti: newId(),
      expiresIn: this.ttlSeconds,
      expiresAt: new Date(this.clock.now().getTime() + this.ttlSeconds * 1000),
    };
    this.issued.push({ ...token, ...subject });
    return token;
  }

  async verify(token: string): Promise<Principal & { familyId: Id }> {
    const found = this.issued.find((t) => t.token === token);
    if (!found || found.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new UnauthenticatedError('The access token is invalid');
    }
    return {
      userId: found.userId,
      roles: [...found.roles],
      tokenId: found.jti,
      familyId: found.familyId,
      expiresAt: found.expiresAt,
    };
  }

  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: [] };
  }
}

/** The fast deny-list in a map; `away` makes every call fail as a cache outage would. */
export class FakeTokenDenyList implements TokenDenyList {
  readonly tokens = new Map<Id, Date>();
  readonly families = new Map<Id, Date>();
  loaded: Date | null = null;
  away = false;
  loads = 0;

  constructor(private readonly clock: ManualClock) {}

  private reachable(): void {
    if (this.away) throw new Error('cache away');
  }

  async revokeToken(jti: Id, until: Date): Promise<void> {
    this.reachable();
    this.tokens.set(jti, until);
  }

  async revokeFamily(familyId: Id, until: Date): Promise<void> {
    this.reachable();
    this.families.set(familyId, until);
  }

  async isRevoked(jti: Id, familyId: Id): Promise<boolean | null> {
    this.reachable();
    if (!this.loaded) return null;
    return this.tokens.has(jti) || this.families.has(familyId);
  }

  async loadedAt(): Promise<Date | null> {
    this.reachable();
    return this.loaded;
  }

  async load(revocations: readonly Revocation[]): Promise<void> {
    this.reachable();
    this.loads++;
    for (const r of revocations) (r.kind === 'token' ? this.tokens : this.families).set(r.id, r.until);
    this.loaded = this.clock.now();
  }
}

/** At most `maxFailures` attempts per account until one succeeds (no window: the tests move no time for it). */
export class FakePasswordAttemptLimiter implements PasswordAttemptLimiter {
  readonly counts = new Map<string, number>();
  readonly attempts: string[] = [];

  constructor(readonly maxFailures = 3) {}

  async attempt(account: string): Promise<PasswordAttemptVerdict> {
    this.attempts.push(account);
    const count = (this.counts.get(account) ?? 0) + 1;
    this.counts.set(account, count);
    return count > this.maxFailures
      ? { allowed: false, retryAfterSeconds: 120 }
      : { allowed: true, retryAfterSeconds: 0 };
  }

  async succeeded(account: string): Promise<void> {
    this.counts.delete(account);
  }
}

/** Records the guest carts handed over; `fail` makes adoption reject. */
export class FakeCartAdoption implements GuestCartAdoption {
  readonly adopted: { cartId: string; customerId: string }[] = [];
  fail = false;

  async adopt(cartId: string, customerId: string): Promise<void> {
    if (this.fail) throw new Error('cart gone');
    this.adopted.push({ cartId, customerId });
  }
}

export interface IdentityTestBed {
  deps: IdentityDeps;
  repos: InMemoryIdentityRepos;
  uow: InMemoryUnitOfWork<InMemoryIdentityRepos>;
  clock: ManualClock;
  hasher: FakePasswordHasher;
  tokens: FakeAccessTokenService;
  denyList: FakeTokenDenyList;
  attempts: FakePasswordAttemptLimiter;
  cart: FakeCartAdoption;
  /** the audit outcomes counted, in order */
  audits: string[];
  /** the other contexts' sections of the export */
  personalData: PersonalDataSource[];
}

/** Identity's deps over in-memory repositories, a manual clock and fakes of every port. */
export const identityTestBed = (
  opts: { start?: string; refreshTtlSeconds?: number } = {},
): IdentityTestBed => {
  const clock = new ManualClock(opts.start ?? '2026-03-01T12:00:00Z');
  const repos = inMemoryIdentityRepos();
  const uow = new InMemoryUnitOfWork(repos, identityEventMapper('eu', clock));
  const hasher = new FakePasswordHasher();
  const tokens = new FakeAccessTokenService(clock);
  const denyList = new FakeTokenDenyList(clock);
  const attempts = new FakePasswordAttemptLimiter();
  const cart = new FakeCartAdoption();
  const audits: string[] = [];
  const personalData: PersonalDataSource[] = [];
  const deps: IdentityDeps = {
    uow,
    read: new InMemoryUnitOfWork(repos),
    hasher,
    passwordAttempts: attempts,
    tokens,
    denyList,
    refreshCodec: opaqueRefreshTokenCodec,
    clock,
    region: 'eu',
    refreshTtlSeconds: opts.refreshTtlSeconds ?? 3600,
    personalData: () => personalData,
    audit: (outcome) => audits.push(outcome),
    cartAdoption: () => cart,
  };
  return { deps, repos, uow, clock, hasher, tokens, denyList, attempts, cart, audits, personalData };
};

/** An account already stored (no event, no session): a customer unless `roles` says otherwise. */
export const seedUser = async (
  bed: IdentityTestBed,
  opts: { email?: string; password?: string; name?: string; roles?: Role[]; hashPrefix?: 'v1' | 'v2' } = {},
): Promise<User> => {
  const account = {
    id: newId(),
    email: opts.email ?? `ada-${newId().slice(0, 8)}@example.com`,
    name: opts.name ?? 'Ada Lovelace',
    passwordHash: `${opts.hashPrefix ?? 'v2'}$${opts.password ?? 'correct horse battery'}`,
    region: 'eu',
    now: bed.clock.now(),
  };
  const user = opts.roles
    ? User.createStaff({ ...account, roles: opts.roles })
    : User.registerCustomer(account);
  user.pullEvents();
  await bed.repos.users.insert(user);
  return user;
};
