import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { CreateStaff } from './create-staff.use-case.js';

const STAFF = { email: 'Stock@Example.com', password: 'correct horse battery', name: 'Stock Keeper' };

describe('CreateStaff', () => {
  it('creates a staff account with its roles, a hashed password and no integration event', async () => {
    const bed = identityTestBed();
    const user = await new CreateStaff(bed.deps).execute({ ...STAFF, roles: ['inventory_manager'] });
    expect(bed.repos.users.stored(user.id)).toMatchObject({
      email: 'stock@example.com',
      roles: ['inventory_manager'],
      passwordHash: 'v2$correct horse battery',
      region: 'eu',
    });
    expect(bed.uow.events).toEqual([]);
  });

  it('a taken email is EMAIL_TAKEN', async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'stock@example.com' });
    await expect(new CreateStaff(bed.deps).execute({ ...STAFF, roles: ['admin'] })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
  });

  it('a weak password is VALIDATION_FAILED and nothing is stored', async () => {
    const bed = identityTestBed();
    await expect(
      new CreateStaff(bed.deps).execute({ ...STAFF, password: 'short', roles: ['admin'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bed.repos.users.rows.size).toBe(0);
  });
});
