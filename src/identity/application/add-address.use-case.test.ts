import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { MAX_ADDRESSES_PER_USER } from '../domain/address.entity.js';
import { AddAddress } from './add-address.use-case.js';

const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('AddAddress', () => {
  it("stores a new address on the caller's account, stamped with the clock", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const address = await new AddAddress(bed.deps).execute(ada.id, HOME);
    expect(address).toMatchObject({ ...HOME, userId: ada.id, createdAt: bed.clock.now() });
    expect(bed.repos.addresses.rows).toHaveLength(1);
  });

  it(`the ${MAX_ADDRESSES_PER_USER + 1}st address is a CONFLICT and is not stored`, async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const add = new AddAddress(bed.deps);
    for (let i = 0; i < MAX_ADDRESSES_PER_USER; i++) await add.execute(ada.id, HOME);
    await expect(add.execute(ada.id, HOME)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(bed.repos.addresses.rows).toHaveLength(MAX_ADDRESSES_PER_USER);
  });

  it('an erased account is NOT_FOUND', async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    bed.repos.users.rows.get(ada.id)!.status = 'erased';
    await expect(new AddAddress(bed.deps).execute(ada.id, HOME)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(bed.repos.addresses.rows).toHaveLength(0);
  });
});
