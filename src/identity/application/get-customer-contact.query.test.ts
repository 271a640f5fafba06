import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { GetCustomerContact } from './get-customer-contact.query.js';

describe('GetCustomerContact', () => {
  it("gives an active customer's email and name", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed, { email: 'ada@example.com', name: 'Ada' });
    expect(await new GetCustomerContact(bed.deps).execute(ada.id)).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
    });
  });

  it('is null for an erased account, an unknown one and an id that is not a UUID', async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    bed.repos.users.rows.get(ada.id)!.status = 'erased';
    const contact = new GetCustomerContact(bed.deps);
    expect(await contact.execute(ada.id)).toBeNull();
    expect(await contact.execute('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await contact.execute('not-a-uuid')).toBeNull();
  });
});
