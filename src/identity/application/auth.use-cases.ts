import { RateLimitedError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { normalizeEmail } from '../domain/email.value-object.js';
import {
  EmailTakenError,
  InvalidCredentialsError,
  InvalidRefreshTokenError,
} from '../domain/identity.errors.js';
import { assertPasswordPolicy } from '../domain/password-policy.js';
import { judgeRefresh } from '../domain/refresh-token.entity.js';
import { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import { continueSession, type Session, startSession } from './session.service.js';

/** A hash of a random password, verified against when the email is unknown so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

export class AuthUseCases {
  constructor(private readonly deps: IdentityDeps) {}

  /** Registers a customer in this region and starts a session. CustomerRegistered goes out through the outbox. */
  async register(input: {
    email: string;
    password: string;
    name: string;
  }): Promise<{ user: User; session: Session }> {
    assertPasswordPolicy(input.password);
    const email = normalizeEmail(input.email);
    const passwordHash = await this.deps.hasher.hash(input.password);
    return this.deps.uow.run(async ({ repos, track }) => {
      const user = track(
        User.registerCustomer({
          id: newId(),
          email,
          name: input.name,
          passwordHash,
          region: this.deps.region,
          now: this.deps.clock.now(),
        }),
      );
      if (!(await repos.users.insert(user))) throw new EmailTakenError();
      const session = await startSession(this.deps, repos, user);
      return { user, session };
    });
  }

  /**
   * Customers and staff alike. Wrong email and wrong password give the same answer in about the same
   * time. Attempts are counted per account (the email, whether or not an account has it): once an
   * account's budget is spent, its logins answer 429 RATE_LIMITED, the right password included,
   * until the window ends; a successful login starts the count again (ADR 0026).
   */
  async login(input: {
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

  /**
   * Exchanges a refresh token for a new pair. A token that was already exchanged is reuse: the whole
   * family is revoked (also its live access tokens, through the deny-list) and the call fails.
   */
  async refresh(refreshToken: string): Promise<{ user: User; session: Session }> {
    const hash = this.deps.refreshCodec.hash(refreshToken);
    const outcome = await this.deps.uow.run(async ({ repos, afterCommit }) => {
      const found = await repos.refreshTokens.findByHashForUpdate(hash);
      if (!found) return { kind: 'invalid' as const };
      const now = this.deps.clock.now();
      const verdict = judgeRefresh(found.token, found.family, now);
      if (verdict.kind === 'reuse') {
        const familyId = found.family.id;
        const until = await repos.refreshTokens.revokeFamily(familyId, 'refresh token reuse', now);
        // the revocation is recorded in Postgres; the deny-list write is the fast path for it
        if (until) afterCommit(() => this.deps.denyList.revokeFamily(familyId, until).catch(() => {}));
        return { kind: 'reuse' as const };
      }
      if (verdict.kind !== 'rotate') return { kind: 'invalid' as const };
      const user = await repos.users.findById(found.family.userId);
      if (!user?.isActive) return { kind: 'invalid' as const };
      await repos.refreshTokens.markUsed(found.token.id, now);
      const session = await continueSession(this.deps, repos, user, found.family.id);
      return { kind: 'ok' as const, user, session };
    });
    this.deps.audit(
      outcome.kind === 'ok' ? 'refresh_ok' : outcome.kind === 'reuse' ? 'refresh_reuse' : 'refresh_invalid',
    );
    if (outcome.kind === 'reuse') {
      throw new InvalidRefreshTokenError('The refresh token was already used; the session has been revoked');
    }
    if (outcome.kind === 'invalid') throw new InvalidRefreshTokenError();
    return { user: outcome.user, session: outcome.session };
  }

  /** The presented access token and its refresh family stop working at once (recorded in Postgres). */
  async logout(principal: { tokenId: string; familyId: string; expiresAt: Date }): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.uow.run(async ({ repos, afterCommit }) => {
      await repos.refreshTokens.recordRevokedAccessToken(principal.tokenId, principal.expiresAt);
      const familyUntil = await repos.refreshTokens.revokeFamily(principal.familyId, 'logout', now);
      // recorded in Postgres above; the deny-list writes are the fast path for it, once it committed
      afterCommit(async () => {
        await Promise.all([
          this.deps.denyList.revokeToken(principal.tokenId, principal.expiresAt),
          familyUntil ? this.deps.denyList.revokeFamily(principal.familyId, familyUntil) : undefined,
        ]).catch(() => {});
      });
    });
    this.deps.audit('logout');
  }
}
