import { Identity1763700000100 } from '../../migrations/1763700000100-identity.js';
import { IdentityDenyListBacklog1763700000700 } from '../../migrations/1763700000700-identity-deny-list-backlog.js';
import { IdentityDurableRevocation1763700000900 } from '../../migrations/1763700000900-identity-durable-revocation.js';
import { IdentitySigningKeyRotation1763700001600 } from '../../migrations/1763700001600-identity-signing-key-rotation.js';
import { MemoryCache } from '../platform/cache/memory-cache.js';
import { RedisCache } from '../platform/cache/redis-cache.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import { Argon2PasswordHasher } from './adapters/crypto/argon2.password-hasher.js';
import { CacheTokenDenyList } from './adapters/crypto/cache.token-deny-list.js';
import { JoseAccessTokenService } from './adapters/crypto/jose.access-token-service.js';
import { opaqueRefreshTokenCodec } from './adapters/crypto/opaque-refresh-token.codec.js';
import { type IdentityRouteUseCases, identityRoutes } from './adapters/http/identity.routes.js';
import { FlexiblePasswordAttemptLimiter } from './adapters/limits/flexible.password-attempt-limiter.js';
import { IDENTITY_ENTITIES } from './adapters/persistence/identity.entity-schemas.js';
import { PgDenyListBacklog } from './adapters/persistence/pg.deny-list-backlog.js';
import { identityRepos } from './adapters/persistence/typeorm-identity.repositories.js';
import { IdentityAccessTokenVerifier } from './application/access-token-verifier.service.js';
import { AddAddress } from './application/add-address.use-case.js';
import { ChangeAddress } from './application/change-address.use-case.js';
import { CreateStaff } from './application/create-staff.use-case.js';
import { DenyListService } from './application/deny-list.service.js';
import { EnsureAdmin } from './application/ensure-admin.use-case.js';
import { EraseCustomer } from './application/erase-customer.use-case.js';
import { ExportPersonalData } from './application/export-personal-data.query.js';
import { GetCustomerContact } from './application/get-customer-contact.query.js';
import { GetProfile } from './application/get-profile.query.js';
import type { IdentityDeps } from './application/identity.deps.js';
import type { GuestCartAdoption, PersonalDataSource } from './application/identity.ports.js';
import { identityEventMapper } from './application/identity-event.mapper.js';
import { ListAddresses } from './application/list-addresses.query.js';
import { LogIn } from './application/log-in.use-case.js';
import { LogOut } from './application/log-out.use-case.js';
import { RefreshSession } from './application/refresh-session.use-case.js';
import { RegisterCustomer } from './application/register-customer.use-case.js';
import { RemoveAddress } from './application/remove-address.use-case.js';
import { UpdateProfile } from './application/update-profile.use-case.js';
import type { IdentityFacade } from './contract.js';

export { IDENTITY_ENTITIES } from './adapters/persistence/identity.entity-schemas.js';

export interface IdentityModule extends ContextModule<IdentityFacade> {
  /** verifies bearer tokens for every context's route guards */
  verifier: IdentityAccessTokenVerifier;
  services: IdentityServices;
}

export interface IdentityDependencies {
  /** the cart context: login with `{…, cartId}` adopts that guest cart */
  cartAdoption: GuestCartAdoption;
  /** the other contexts' sections of the GDPR export (carts, orders, …) */
  personalData: () => readonly PersonalDataSource[];
}

export interface IdentityServices extends IdentityRouteUseCases {
  facade: IdentityFacade;
  ensureAdmin: EnsureAdmin;
  customerContact: GetCustomerContact;
  denyLists: DenyListService;
  verifier: IdentityAccessTokenVerifier;
}

/** The use cases, queries and facade of identity over its deps (tests build them on in-memory ones). */
export const createIdentityServices = (deps: IdentityDeps): IdentityServices => {
  const createStaff = new CreateStaff(deps);
  const customerContact = new GetCustomerContact(deps);
  const facade: IdentityFacade = {
    customerExists: async (customerId, tx) => (await customerContact.execute(customerId, tx)) !== null,
    customerContact: (customerId, tx) => customerContact.execute(customerId, tx),
  };
  return {
    facade,
    register: new RegisterCustomer(deps),
    logIn: new LogIn(deps),
    refresh: new RefreshSession(deps),
    logOut: new LogOut(deps),
    profile: new GetProfile(deps),
    updateProfile: new UpdateProfile(deps),
    erase: new EraseCustomer(deps),
    exportData: new ExportPersonalData(deps),
    addresses: new ListAddresses(deps),
    addAddress: new AddAddress(deps),
    changeAddress: new ChangeAddress(deps),
    removeAddress: new RemoveAddress(deps),
    createStaff,
    ensureAdmin: new EnsureAdmin(deps, createStaff),
    customerContact,
    denyLists: new DenyListService(deps),
    verifier: new IdentityAccessTokenVerifier(deps),
  };
};

/**
 * How often every instance checks that the cache still holds the deny-list (rebuilding it from
 * Postgres if not) and copies missed entries into it (the bounds in ADR 0005).
 */
export const DENY_LIST_REPAIR_INTERVAL_MS = 2_000;

/**
 * The identity context (composition root): wires its ports to adapters (TypeORM, argon2id, jose,
 * cache deny-list) into the routes and the token verifier the other contexts' guards use.
 */
export const identityContext = defineContext({
  name: 'identity',
  entities: IDENTITY_ENTITIES,
  migrations: [
    Identity1763700000100,
    IdentityDenyListBacklog1763700000700,
    IdentityDurableRevocation1763700000900,
    IdentitySigningKeyRotation1763700001600,
  ],
  create: (platform: Platform, others: IdentityDependencies): IdentityModule => {
    const { config, dataSource, clock } = platform;
    const tokens = new JoseAccessTokenService(dataSource, {
      region: config.REGION,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      privateKeyPem: config.JWT_PRIVATE_KEY,
      encryptionKey: config.JWT_KEY_ENCRYPTION_KEY,
      rotationGraceSeconds: config.JWT_ROTATION_GRACE_SECONDS,
      clock,
    });
    // In embedded mode the deny-list gets a memory store of its own: the shared one evicts its oldest
    // entries when full, and a revocation must only leave when its tokens have expired.
    const denyStore =
      platform.cache.kind === 'memory' ? new MemoryCache(Number.POSITIVE_INFINITY, clock) : platform.cache;
    const denyList = new CacheTokenDenyList(denyStore, clock, new PgDenyListBacklog(dataSource));
    const logger = platform.logger.child({ component: 'identity' });
    const deps: IdentityDeps = {
      uow: new TypeOrmUnitOfWork(dataSource, identityRepos, identityEventMapper(config.REGION, clock)),
      read: new TypeOrmReader(dataSource, identityRepos),
      hasher: new Argon2PasswordHasher(),
      // per account across the region in Redis; this instance's memory while Redis is away, or without it
      passwordAttempts: new FlexiblePasswordAttemptLimiter(
        {
          maxFailures: config.LOGIN_FAILURES_PER_ACCOUNT,
          windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
        },
        platform.cache instanceof RedisCache
          ? { redis: platform.cache.client, onFallback: () => platform.metrics.rateLimitFallbacks.inc() }
          : {},
      ),
      tokens,
      denyList,
      refreshCodec: opaqueRefreshTokenCodec,
      clock,
      region: config.REGION,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      personalData: others.personalData,
      audit: (outcome) => platform.metrics.authEvents.inc({ outcome }),
      cartAdoption: () => others.cartAdoption,
    };
    const services = createIdentityServices(deps);
    const loadDenyList = async () => {
      const loaded = await services.denyLists.ensureLoaded();
      if (loaded !== null) logger.info({ count: loaded }, 'deny-list loaded from Postgres into the cache');
    };
    const repair = periodicTask(
      'deny-list repair',
      DENY_LIST_REPAIR_INTERVAL_MS,
      async () => {
        await loadDenyList();
        const copied = await denyList.repair();
        if (copied > 0)
          logger.warn({ count: copied }, 'deny-list entries copied into the cache after an outage');
      },
      logger,
    );

    return {
      name: 'identity',
      facade: services.facade,
      verifier: services.verifier,
      services,
      init: async () => {
        // before the instance serves; if the cache is away, verification asks Postgres until a repair pass loads it
        await loadDenyList().catch((err) => logger.warn({ err }, 'deny-list not loaded at start; retrying'));
        await tokens.init();
        if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
          const outcome = await services.ensureAdmin.execute(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
          if (outcome === 'created') logger.info('first admin account created from ADMIN_EMAIL');
        }
      },
      routes: async (app, { guards }) => {
        await app.register(identityRoutes, {
          useCases: services,
          tokens,
          guards,
          authRateLimitPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
        });
      },
      tasks: [repair],
    };
  },
});
