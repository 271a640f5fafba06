import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { UpdateProfile } from './update-profile.use-case.js';

const PASSWORD = 'correct horse battery';

const bedWithAda = async () => {
  const bed = identityTestBed();
  const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD, name: 'Ada' });
  return { bed, user, update: new UpdateProfile(bed.deps) };
};

describe('UpdateProfile', () => {
  it('changes the name without a password', async () => {
    const { bed, user, update } = await bedWithAda();
    bed.clock.advance(1000);
    const changed = await update.execute(user.id, { name: 'Countess Lovelace' });
    expect(changed.name).toBe('Countess Lovelace');
    expect(bed.repos.users.stored(user.id)).toMatchObject({
      name: 'Countess Lovelace',
      updatedAt: bed.clock.now(),
    });
    expect(bed.attempts.attempts).toEqual([]);
  });

  it('changing the email without the current password is VALIDATION_FAILED naming currentPassword', async () => {
    const { bed, user, update } = await bedWithAda();
    await expect(update.execute(user.id, { email: 'new@example.com' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'currentPassword' }],
    });
    expect(bed.repos.users.stored(user.id)?.email).toBe('ada@example.com');
  });

  it('the same email (in another case) needs no password', async () => {
    const { user, update } = await bedWithAda();
    await expect(
      update.execute(user.id, { email: 'ADA@example.com', name: 'Ada L.' }),
    ).resolves.toMatchObject({
      email: 'ada@example.com',
      name: 'Ada L.',
    });
  });

  it('a wrong current password is FORBIDDEN and counts as a failed attempt at the account', async () => {
    const { bed, user, update } = await bedWithAda();
    await expect(
      update.execute(user.id, { email: 'new@example.com', currentPassword: 'not the one' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(bed.attempts.counts.get('ada@example.com')).toBe(1);
    expect(bed.audits).toEqual(['password_check_failed']);
    expect(bed.repos.users.stored(user.id)?.email).toBe('ada@example.com');
  });

  it('a password is checked whenever it is sent, even for a name-only change', async () => {
    const { user, update } = await bedWithAda();
    await expect(
      update.execute(user.id, { name: 'X', currentPassword: 'not the one' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('the right current password changes the email and starts the count again', async () => {
    const { bed, user, update } = await bedWithAda();
    await bed.attempts.attempt('ada@example.com');
    await update.execute(user.id, { email: 'New@Example.com', currentPassword: PASSWORD });
    expect(bed.repos.users.stored(user.id)?.email).toBe('new@example.com');
    expect(bed.attempts.counts.has('ada@example.com')).toBe(false);
  });

  it("once the account's budget is spent, the password check answers RATE_LIMITED", async () => {
    const { bed, user, update } = await bedWithAda();
    for (let i = 0; i < bed.attempts.maxFailures; i++) await bed.attempts.attempt('ada@example.com');
    await expect(
      update.execute(user.id, { email: 'new@example.com', currentPassword: PASSWORD }),
    ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(bed.audits).toEqual(['password_check_throttled']);
  });

  it('an email another account has is EMAIL_TAKEN', async () => {
    const { bed, user, update } = await bedWithAda();
    await seedUser(bed, { email: 'taken@example.com' });
    await expect(
      update.execute(user.id, { email: 'taken@example.com', currentPassword: PASSWORD }),
    ).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(bed.repos.users.stored(user.id)?.email).toBe('ada@example.com');
  });

  it('an erased account is NOT_FOUND', async () => {
    const { bed, user, update } = await bedWithAda();
    bed.repos.users.rows.get(user.id)!.status = 'erased';
    await expect(update.execute(user.id, { name: 'X' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
