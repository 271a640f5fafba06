import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { AddAddress } from './add-address.use-case.js';
import { ExportPersonalData } from './export-personal-data.query.js';

const HOME = { name: 'Ada', line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' };

describe('ExportPersonalData', () => {
  it("gathers the profile, the addresses and every other context's section, dated by the clock", async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed, { email: 'ada@example.com' });
    await new AddAddress(bed.deps).execute(ada.id, HOME);
    bed.personalData.push(
      { section: 'orders', exportFor: async (id) => [{ orderOf: id }] },
      { section: 'carts', exportFor: async () => [] },
    );
    const data = await new ExportPersonalData(bed.deps).execute(ada.id);
    expect(data.exportedAt).toEqual(bed.clock.now());
    expect(data.profile.email).toBe('ada@example.com');
    expect(data.addresses.map((a) => a.line1)).toEqual(['1 Main St']);
    expect(data.sections).toEqual({ orders: [{ orderOf: ada.id }], carts: [] });
  });

  it('an erased account has nothing to export: NOT_FOUND', async () => {
    const bed = identityTestBed();
    const ada = await seedUser(bed);
    bed.repos.users.rows.get(ada.id)!.status = 'erased';
    await expect(new ExportPersonalData(bed.deps).execute(ada.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
