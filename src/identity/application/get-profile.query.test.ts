import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { GetProfile } from './get-profile.query.js';

describe('GetProfile', () => {
  it('returns the active account', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed, { email: 'ada@example.com', name: 'Ada' });
    expect(await new GetProfile(bed.deps).execute(user.id)).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
    });
  });

  it('an erased or unknown account is NOT_FOUND', async () => {
    const bed = identityTestBed();
    const user = await seedUser(bed);
    bed.repos.users.rows.get(user.id)!.status = 'erased';
    await expect(new GetProfile(bed.deps).execute(user.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      new GetProfile(bed.deps).execute('00000000-0000-4000-8000-000000000000'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
