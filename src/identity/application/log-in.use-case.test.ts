import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { LogIn } from './log-in.use-case.js';

const PASSWORD = 'correct horse battery';

describe('LogIn', () => {
  it('the right password starts a session, counts login_ok and starts the account count again', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    await bed.attempts.attempt('ada@example.com');
    const { user: loggedIn, session } = await new LogIn(bed.deps).execute({
      email: 'Ada@Example.com',
      password: PASSWORD,
    });
    expect(loggedIn.id).toBe(user.id);
    expect(session.accessToken).toBe('at-1');
    expect(bed.repos.refreshTokens.families.size).toBe(1);
    expect(bed.audits).toEqual(['login_ok']);
    expect(bed.attempts.counts.has('ada@example.com')).toBe(false);
  });

  it('a wrong password is 401 like an unknown email, counted as login_failed, and starts no session', async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const logIn = new LogIn(bed.deps);
    const wrong = await logIn.execute({ email: 'ada@example.com', password: 'not the one' }).catch((e) => e);
    const unknown = await logIn.execute({ email: 'nobody@example.com', password: PASSWORD }).catch((e) => e);
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The email or password is wrong' });
    expect(unknown).toMatchObject({ code: 'UNAUTHENTICATED', message: wrong.message });
    expect(bed.audits).toEqual(['login_failed', 'login_failed']);
    expect(bed.repos.refreshTokens.families.size).toBe(0);
  });

  it('an unknown email still costs a password verification (against a dummy hash)', async () => {
    const bed = identityTestBed();
    await expect(
      new LogIn(bed.deps).execute({ email: 'nobody@example.com', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bed.hasher.verified).toHaveLength(1);
    expect(bed.hasher.verified[0]?.password).toBe(PASSWORD);
  });

  it('a malformed email is 401, not a validation error, and counts nothing', async () => {
    const bed = identityTestBed();
    await expect(
      new LogIn(bed.deps).execute({ email: 'not an email', password: PASSWORD }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(bed.attempts.attempts).toEqual([]);
  });

  it('an erased account cannot log in, even were its email and password still to match', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    bed.repos.users.rows.get(user.id)!.status = 'erased';
    await expect(
      new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bed.repos.refreshTokens.families.size).toBe(0);
    expect(bed.audits).toEqual(['login_failed']);
  });

  it("an erased account's password is never checked: the dummy hash is, as for an unknown email", async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    bed.repos.users.rows.get(user.id)!.status = 'erased';
    await new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD }).catch(() => {});
    expect(bed.hasher.verified.map((v) => v.hash)).not.toContain(`v2$${PASSWORD}`);
  });

  it('an account erased while its password was being checked gets no session', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const verify = bed.hasher.verify.bind(bed.hasher);
    bed.hasher.verify = async (hash, password) => {
      const right = await verify(hash, password);
      bed.repos.users.rows.get(user.id)!.status = 'erased'; // the erasure commits meanwhile
      return right;
    };
    await expect(
      new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bed.repos.refreshTokens.families.size).toBe(0);
    expect(bed.audits).toEqual(['login_failed']);
  });

  it("once the account's budget is spent, logins answer RATE_LIMITED with the right password too", async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const logIn = new LogIn(bed.deps);
    for (let i = 0; i < bed.attempts.maxFailures; i++) {
      await logIn.execute({ email: 'ada@example.com', password: 'guess' }).catch(() => {});
    }
    await expect(logIn.execute({ email: 'ada@example.com', password: PASSWORD })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 120,
    });
    expect(bed.audits.at(-1)).toBe('login_throttled');
    expect(bed.repos.refreshTokens.families.size).toBe(0);
  });

  it('a hash made with older parameters is replaced at login', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD, hashPrefix: 'v1' });
    await new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD });
    expect(bed.repos.users.stored(user.id)?.passwordHash).toBe(`v2$${PASSWORD}`);
  });

  it("a customer's guest cart is adopted at login; a cart that cannot be is counted and the login still succeeds", async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const logIn = new LogIn(bed.deps);
    await logIn.execute({ email: 'ada@example.com', password: PASSWORD, cartId: 'cart-1' });
    expect(bed.cart.adopted).toEqual([{ cartId: 'cart-1', customerId: user.id }]);
    bed.cart.fail = true;
    await expect(
      logIn.execute({ email: 'ada@example.com', password: PASSWORD, cartId: 'cart-2' }),
    ).resolves.toBeDefined();
    expect(bed.audits).toContain('cart_adoption_failed');
  });

  it('staff do not adopt guest carts', async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'boss@example.com', password: PASSWORD, roles: ['admin'] });
    await new LogIn(bed.deps).execute({ email: 'boss@example.com', password: PASSWORD, cartId: 'cart-1' });
    expect(bed.cart.adopted).toEqual([]);
  });
});
