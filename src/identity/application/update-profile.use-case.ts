import { RateLimitedError } from '../../platform/errors.js';
import { normalizeEmail } from '../domain/email.value-object.js';
import {
  CurrentPasswordRequiredError,
  EmailTakenError,
  WrongPasswordError,
} from '../domain/identity.errors.js';
import type { User } from '../domain/user.aggregate.js';
import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

/**
 * Name and email. The email is what one logs in with, so changing it takes the current password
 * too (a bearer token alone must not be enough to take an account over); a wrong one is 403
 * FORBIDDEN and counts as a failed attempt at the account's password, like a failed login (ADR 0026).
 */
export class UpdateProfile {
  constructor(private readonly deps: IdentityDeps) {}

  async execute(
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
}
