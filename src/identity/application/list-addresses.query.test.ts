import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { AddAddress } from './add-address.use-case.js';
import { ListAddresses } from './list-addresses.query.js';

const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('ListAddresses', () => {
  it("lists the caller's addresses, oldest first, and nobody else's", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    const bob = await seedUser(bed);
    const add = new AddAddress(bed.deps);
    await add.execute(ada.id, HOME);
    bed.clock.advance(1000);
    await add.execute(ada.id, { ...HOME, line1: '2 Side St' });
    await add.execute(bob.id, { ...HOME, line1: "Bob's" });
    const listed = await new ListAddresses(bed.deps).execute(ada.id);
    expect(listed.map((a) => a.line1)).toEqual(['1 Main St', '2 Side St']);
  });

  it('an erased account is NOT_FOUND', async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    bed.repos.users.rows.get(ada.id)!.status = 'erased';
    await expect(new ListAddresses(bed.deps).execute(ada.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
