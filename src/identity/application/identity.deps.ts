import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type {
  AccessTokenService,
  GuestCartAdoption,
  PasswordAttemptLimiter,
  PasswordHasher,
  PersonalDataSource,
  RefreshTokenCodec,
  TokenDenyList,
} from './identity.ports.js';
import type { IdentityRepos } from './identity.repositories.js';

/** Everything the identity use cases need, wired in identity.plugin.ts. */
export interface IdentityDeps {
  uow: UnitOfWork<IdentityRepos>;
  /** read-only access outside a transaction */
  read: UnitOfWork<IdentityRepos>;
  hasher: PasswordHasher;
  /** password guesses per account: login and every other check of a password (ADR 0026) */
  passwordAttempts: PasswordAttemptLimiter;
  tokens: AccessTokenService;
  denyList: TokenDenyList;
  refreshCodec: RefreshTokenCodec;
  clock: Clock;
  region: string;
  refreshTtlSeconds: number;
  /** every context's section of the GDPR export (read when an export is made) */
  personalData: () => readonly PersonalDataSource[];
  /** counts authentication outcomes (login_ok, login_failed, refresh_ok, refresh_reuse, logout, ...) */
  audit: (outcome: string) => void;
  /** the cart context once wired; login must not fail because of a cart */
  cartAdoption: () => GuestCartAdoption | null;
}
