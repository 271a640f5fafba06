import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { AddAddress } from './add-address.use-case.js';
import { ChangeAddress } from './change-address.use-case.js';

const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('ChangeAddress', () => {
  it('changes the fields given and keeps the others', async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const address = await new AddAddress(bed.deps).execute(ada.id, HOME);
    bed.clock.advance(1000);
    const changed = await new ChangeAddress(bed.deps).execute(ada.id, address.id, { city: 'Lyon' });
    expect(changed).toMatchObject({ ...HOME, city: 'Lyon', updatedAt: bed.clock.now() });
    expect(bed.repos.addresses.rows[0]).toMatchObject({ city: 'Lyon', line1: '1 Main St' });
  });

  it("someone else's address is NOT_FOUND and stays as it was", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const bob = await seedUser(bed);
    const address = await new AddAddress(bed.deps).execute(ada.id, HOME);
    await expect(
      new ChangeAddress(bed.deps).execute(bob.id, address.id, { city: 'Lyon' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(bed.repos.addresses.rows[0]?.city).toBe('Paris');
  });
});
