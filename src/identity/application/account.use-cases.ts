import { ConflictError, NotFoundError, RateLimitedError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import {
  type Address,
  type AddressInput,
  MAX_ADDRESSES_PER_USER,
  newAddress,
  updateAddress,
} from '../domain/address.entity.js';
import { normalizeEmail } from '../domain/email.value-object.js';
import {
  CurrentPasswordRequiredError,
  EmailTakenError,
  WrongPasswordError,
} from '../domain/identity.errors.js';
import { assertPasswordPolicy } from '../domain/password-policy.js';
import { type Role, User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import type { IdentityRepos } from './identity.repositories.js';

const activeUser = async (repos: IdentityRepos, userId: string, forUpdate = false): Promise<User> => {
  const user = forUpdate ? await repos.users.findByIdForUpdate(userId) : await repos.users.findById(userId);
  if (!user?.isActive) throw new NotFoundError('Account');
  return user;
};

/** The caller's own account: profile, addresses, GDPR export and erasure; and staff administration. */
export class AccountUseCases {
  constructor(private readonly deps: IdentityDeps) {}

  profile(userId: string): Promise<User> {
    return this.deps.read.run(({ repos }) => activeUser(repos, userId));
  }

  /**
   * Name and email. The email is what one logs in with, so changing it takes the current password
   * too (a bearer token alone must not be enough to take an account over); a wrong one is 403
   * FORBIDDEN and counts as a failed attempt at the account's password, like a failed login (ADR 0026).
   */
  async updateProfile(
    userId: string,
    changes: { name?: string | undefined; email?: string | undefined; currentPassword?: string | undefined },
  ): Promise<User> {
    const { currentPassword, ...profile } = changes;
    const email = profile.email === undefined ? undefined : normalizeEmail(profile.email);
    const user = await this.deps.read.run(({ repos }) => activeUser(repos, userId));
    const changesEmail = (current: User) => email !== undefined && email !== current.email;
    if (currentPassword === undefined && changesEmail(user)) throw new CurrentPasswordRequiredError();
    // checked whenever it is sent: a password given must be the right one
    if (currentPassword !== undefined) await this.confirmPassword(user, currentPassword);
    return this.deps.uow.run(async ({ repos, track }) => {
      const current = track(await activeUser(repos, userId, true));
      // the email may have changed since it was read: what counts is the locked row
      if (currentPassword === undefined && changesEmail(current)) throw new CurrentPasswordRequiredError();
      current.updateProfile(profile, this.deps.clock.now());
      if (!(await repos.users.update(current))) throw new EmailTakenError();
      return current;
    });
  }

  /** The account's password, checked outside any transaction (argon2 is slow) and counted per account. */
  private async confirmPassword(user: User, password: string): Promise<void> {
    const verdict = await this.deps.passwordAttempts.attempt(user.email);
    if (!verdict.allowed) {
      this.deps.audit('password_check_throttled');
      throw new RateLimitedError(verdict.retryAfterSeconds);
    }
    if (!(await this.deps.hasher.verify(user.passwordHash, password))) {
      this.deps.audit('password_check_failed');
      throw new WrongPasswordError();
    }
    await this.deps.passwordAttempts.succeeded(user.email);
  }

  addresses(userId: string): Promise<Address[]> {
    return this.deps.read.run(async ({ repos }) => {
      await activeUser(repos, userId);
      return repos.addresses.listByUser(userId);
    });
  }

  addAddress(userId: string, input: AddressInput): Promise<Address> {
    return this.deps.uow.run(async ({ repos }) => {
      await activeUser(repos, userId, true);
      if ((await repos.addresses.count(userId)) >= MAX_ADDRESSES_PER_USER) {
        throw new ConflictError(`An account can keep at most ${MAX_ADDRESSES_PER_USER} addresses`);
      }
      const address = newAddress(newId(), userId, input, this.deps.clock.now());
      await repos.addresses.insert(address);
      return address;
    });
  }

  changeAddress(userId: string, addressId: string, changes: Partial<AddressInput>): Promise<Address> {
    return this.deps.uow.run(async ({ repos }) => {
      const current = await repos.addresses.find(userId, addressId);
      if (!current) throw new NotFoundError('Address');
      const next = updateAddress(current, changes, this.deps.clock.now());
      await repos.addresses.update(next);
      return next;
    });
  }

  async removeAddress(userId: string, addressId: string): Promise<void> {
    const removed = await this.deps.uow.run(({ repos }) => repos.addresses.delete(userId, addressId));
    if (!removed) throw new NotFoundError('Address');
  }

  /** Every piece of personal data we hold about the caller, as one JSON document. */
  async export(
    userId: string,
  ): Promise<{ exportedAt: Date; profile: User; addresses: Address[]; sections: Record<string, unknown[]> }> {
    const { profile, addresses } = await this.deps.read.run(async ({ repos }) => ({
      profile: await activeUser(repos, userId),
      addresses: await repos.addresses.listByUser(userId),
    }));
    const sections: Record<string, unknown[]> = {};
    for (const source of this.deps.personalData()) sections[source.section] = await source.exportFor(userId);
    return { exportedAt: this.deps.clock.now(), profile, addresses, sections };
  }

  /**
   * GDPR erasure: personal fields scrubbed, addresses deleted, every session revoked (every refresh
   * family, so every access token of the account is denied until it expires), CustomerErased
   * written to the outbox (other contexts anonymise what they hold when they see it).
   */
  async erase(userId: string, current: { tokenId: string; expiresAt: Date }): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.uow.run(async ({ repos, track, afterCommit }) => {
      const user = track(await activeUser(repos, userId, true));
      user.erase(now);
      await repos.users.update(user);
      await repos.addresses.deleteAllOf(userId);
      await repos.refreshTokens.recordRevokedAccessToken(current.tokenId, current.expiresAt);
      const families = await repos.refreshTokens.revokeAllOfUser(userId, 'erasure', now);
      // recorded in Postgres above; the deny-list writes are the fast path for it, once it committed
      afterCommit(async () => {
        await Promise.all([
          this.deps.denyList.revokeToken(current.tokenId, current.expiresAt),
          ...families.map((f) => this.deps.denyList.revokeFamily(f.familyId, f.accessExpiresAt)),
        ]).catch(() => {});
      });
    });
  }

  /** Admins create staff accounts with roles. */
  async createStaff(input: { email: string; password: string; name: string; roles: Role[] }): Promise<User> {
    assertPasswordPolicy(input.password);
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.uow.run(async ({ repos, track }) => {
      const user = track(
        User.createStaff({
          id: newId(),
          ...input,
          passwordHash,
          region: this.deps.region,
          now: this.deps.clock.now(),
        }),
      );
      if (!(await repos.users.insert(user))) throw new EmailTakenError();
      return user;
    });
  }

  /** The first admin, from ADMIN_EMAIL / ADMIN_PASSWORD at start. Does nothing when the account exists. */
  async ensureAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    const existing = await this.deps.read.run(({ repos }) =>
      repos.users.findByEmail(email.trim().toLowerCase()),
    );
    if (existing) return 'exists';
    try {
      await this.createStaff({ email, password, name: 'Administrator', roles: ['admin'] });
      return 'created';
    } catch (err) {
      if (err instanceof EmailTakenError) return 'exists';
      throw err;
    }
  }
}
