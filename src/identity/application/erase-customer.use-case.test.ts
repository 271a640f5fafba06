import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { IdentityEventTypes } from '../contract.js';
import { AddAddress } from './add-address.use-case.js';
import { EraseCustomer } from './erase-customer.use-case.js';
import { LogIn } from './log-in.use-case.js';

const PASSWORD = 'correct horse battery';
const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

const twoSessions = async () => {
  const bed = identityTestBed();
  const ada = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
  await new AddAddress(bed.deps).execute(ada.id, HOME);
  const logIn = new LogIn(bed.deps);
  const first = await logIn.execute({ email: 'ada@example.com', password: PASSWORD });
  await logIn.execute({ email: 'ada@example.com', password: PASSWORD });
  const current = await bed.tokens.verify(first.session.accessToken);
  return { bed, ada, current, erase: new EraseCustomer(bed.deps) };
};

describe('EraseCustomer', () => {
  it('scrubs the personal fields, deletes the addresses and leaves the account erased', async () => {
    const { bed, ada, current, erase } = await twoSessions();
    await erase.execute(ada.id, current);
    expect(bed.repos.users.stored(ada.id)).toMatchObject({
      status: 'erased',
      name: '',
      passwordHash: '',
      email: `erased+${ada.id}@erased.invalid`,
      erasedAt: bed.clock.now(),
    });
    expect(bed.repos.addresses.rows).toEqual([]);
  });

  it('revokes every session: the current access token and every refresh family, durably and in the deny-list', async () => {
    const { bed, ada, current, erase } = await twoSessions();
    await erase.execute(ada.id, current);
    const families = [...bed.repos.refreshTokens.families.values()];
    expect(families).toHaveLength(2);
    expect(families.every((f) => f.revokedReason === 'erasure')).toBe(true);
    expect(bed.repos.refreshTokens.revokedAccessTokens.has(current.tokenId)).toBe(true);
    expect(bed.denyList.tokens.has(current.tokenId)).toBe(true);
    expect([...bed.denyList.families.keys()].sort()).toEqual(families.map((f) => f.id).sort());
  });

  it('publishes CustomerErased with the customer id only', async () => {
    const { bed, ada, current, erase } = await twoSessions();
    await erase.execute(ada.id, current);
    expect(bed.uow.eventTypes()).toEqual([IdentityEventTypes.CustomerErased]);
    expect(bed.uow.events[0]?.data).toEqual({ customerId: ada.id });
  });

  it('an account erased already is NOT_FOUND and publishes nothing more', async () => {
    const { bed, ada, current, erase } = await twoSessions();
    await erase.execute(ada.id, current);
    await expect(erase.execute(ada.id, current)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(bed.uow.eventTypes()).toEqual([IdentityEventTypes.CustomerErased]);
  });
});
