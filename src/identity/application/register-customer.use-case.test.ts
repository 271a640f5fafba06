import { describe, expect, it } from 'vitest';
import { identityTestBed } from '../../../test/support/in-memory/identity.fakes.js';
import { IdentityEventTypes } from '../contract.js';
import { RegisterCustomer } from './register-customer.use-case.js';

describe('RegisterCustomer', () => {
  it('registers a customer of the region with a normalised email and a hashed password', async () => {
    const bed = identityTestBed();
    const { user } = await new RegisterCustomer(bed.deps).execute({
      email: '  Ada@Example.COM ',
      password: 'correct horse battery',
      name: 'Ada',
    });
    const stored = bed.repos.users.stored(user.id);
    expect(stored).toMatchObject({
      email: 'ada@example.com',
      region: 'eu',
      roles: ['customer'],
      status: 'active',
    });
    expect(stored?.passwordHash).toBe('v2$correct horse battery');
  });

  it('publishes CustomerRegistered (customer id and region) through the outbox', async () => {
    const bed = identityTestBed();
    const { user } = await new RegisterCustomer(bed.deps).execute({
      email: 'ada@example.com',
      password: 'correct horse battery',
      name: 'Ada',
    });
    expect(bed.uow.eventTypes()).toEqual([IdentityEventTypes.CustomerRegistered]);
    expect(bed.uow.events[0]?.data).toEqual({ customerId: user.id, region: 'eu' });
  });

  it('starts a session: a bearer pair whose refresh token is stored only as its hash, in a new family', async () => {
    const bed = identityTestBed();
    const { user, session } = await new RegisterCustomer(bed.deps).execute({
      email: 'ada@example.com',
      password: 'correct horse battery',
      name: 'Ada',
    });
    expect(session).toMatchObject({ accessToken: 'at-1', tokenType: 'Bearer', expiresIn: 900 });
    const [family] = [...bed.repos.refreshTokens.families.values()];
    expect(family).toMatchObject({
      userId: user.id,
      revokedAt: null,
      accessExpiresAt: bed.tokens.issued[0]?.expiresAt,
    });
    const [token] = [...bed.repos.refreshTokens.tokens.values()];
    expect(token?.familyId).toBe(family?.id);
    expect(token?.tokenHash).toBe(bed.deps.refreshCodec.hash(session.refreshToken));
    expect(token?.tokenHash).not.toBe(session.refreshToken);
    expect(token?.expiresAt).toEqual(new Date(bed.clock.now().getTime() + 3600_000));
  });

  it('refuses an email already taken, whatever its case, with EMAIL_TAKEN and publishes nothing', async () => {
    const bed = identityTestBed();
    const register = new RegisterCustomer(bed.deps);
    await register.execute({ email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' });
    await expect(
      register.execute({ email: 'ADA@example.com', password: 'another long password', name: 'Imposter' }),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(bed.repos.users.rows.size).toBe(1);
    expect(bed.uow.eventTypes()).toEqual([IdentityEventTypes.CustomerRegistered]);
  });

  it('refuses a password shorter than ten characters with VALIDATION_FAILED before hashing anything', async () => {
    const bed = identityTestBed();
    await expect(
      new RegisterCustomer(bed.deps).execute({ email: 'ada@example.com', password: 'short', name: 'Ada' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bed.hasher.hashed).toBe(0);
    expect(bed.repos.users.rows.size).toBe(0);
  });
});
