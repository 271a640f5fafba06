import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { AddAddress } from './add-address.use-case.js';
import { RemoveAddress } from './remove-address.use-case.js';

const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('RemoveAddress', () => {
  it("deletes the caller's address", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const address = await new AddAddress(bed.deps).execute(ada.id, HOME);
    await new RemoveAddress(bed.deps).execute(ada.id, address.id);
    expect(bed.repos.addresses.rows).toEqual([]);
  });

  it("someone else's (or an unknown) address is NOT_FOUND and is kept", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const bob = await seedUser(bed);
    const address = await new AddAddress(bed.deps).execute(ada.id, HOME);
    await expect(new RemoveAddress(bed.deps).execute(bob.id, address.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(bed.repos.addresses.rows).toHaveLength(1);
  });
});
