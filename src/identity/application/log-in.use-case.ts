import { RateLimitedError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { normalizeEmail } from '../domain/email.value-object.js';
import { InvalidCredentialsError } from '../domain/identity.errors.js';
import type { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import { type Session, startSession } from './session.service.js';

/** A hash of a random password, verified against when the email is unknown so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

/**
 * Customers and staff alike. Wrong email and wrong password give the same answer in about the same
 * time. Attempts are counted per account (the email, whether or not an account has it): once an
 * account's budget is spent, its logins answer 429 RATE_LIMITED, the right password included,
 * until the window ends; a successful login starts the count again (ADR 0026).
 */
export class LogIn {
  constructor(private readonly deps: IdentityDeps) {}

  async execute(input: {
    email: string;
    password: string;
    cartId?: string | undefined;
  }): Promise<{ user: User; session: Session }> {
    let email: string;
    try {
      email = normalizeEmail(input.email);
    } catch {
      throw new InvalidCredentialsError();
    }
    const verdict = await this.deps.passwordAttempts.attempt(email);
    if (!verdict.allowed) {
      this.deps.audit('login_throttled');
      throw new RateLimitedError(verdict.retryAfterSeconds);
    }
    const user = await this.deps.read.run(({ repos }) => repos.users.findByEmail(email));
    if (!user?.isActive) {
      dummyHash ??= this.deps.hasher.hash(`dummy-${newId()}`);
      await this.deps.hasher.verify(await dummyHash, input.password);
      this.deps.audit('login_failed');
      throw new InvalidCredentialsError();
    }
    if (!(await this.deps.hasher.verify(user.passwordHash, input.password))) {
      this.deps.audit('login_failed');
      throw new InvalidCredentialsError();
    }
    // a hash made with older parameters is replaced while the password is at hand
    const rehash = this.deps.hasher.needsRehash(user.passwordHash)
      ? await this.deps.hasher.hash(input.password)
      : null;
    const started = await this.deps.uow.run(async ({ repos }) => {
      // The account is read again, locked: an erasure that committed since the read above (while the
      // password was being checked) must not be followed by a session its revocation never saw.
      const current = await repos.users.findByIdForUpdate(user.id);
      if (!current?.isActive) return null;
      if (rehash) {
        current.changePasswordHash(rehash, this.deps.clock.now());
        await repos.users.update(current);
      }
      return { user: current, session: await startSession(this.deps, repos, current) };
    });
    if (!started) {
      this.deps.audit('login_failed');
      throw new InvalidCredentialsError();
    }
    this.deps.audit('login_ok');
    await this.deps.passwordAttempts.succeeded(email);
    const adoption = this.deps.cartAdoption();
    if (input.cartId && adoption && started.user.isCustomer) {
      // a cart that cannot be adopted (gone, someone else's, a failure) never fails the login
      await adoption
        .adopt(input.cartId, started.user.id)
        .catch(() => this.deps.audit('cart_adoption_failed'));
    }
    return started;
  }
}
