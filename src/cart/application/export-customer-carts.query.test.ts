import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { ExportCustomerCarts } from './export-customer-carts.query.js';

const DAY = 24 * 60 * 60 * 1000;
const ADDRESS = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };
const ORDER = '00000000-0000-4000-8000-0000000000aa';

describe('ExportCustomerCarts', () => {
  it('lists every cart of the customer, newest first, with what it holds about them — whatever its status', async () => {
    const bed = cartTestBed();
    const older = bed.openCart('customer-1');
    older.addLine('TEE-M', 2, bed.clock.now());
    older.setShipping(ADDRESS, 'standard', bed.clock.now());
    older.applyPromotion('SPRING10', bed.clock.now());
    older.close(ORDER, bed.clock.now());
    bed.carts.put(older);
    const createdAt = bed.clock.now();
    bed.clock.advance(DAY);
    const newer = bed.openCart('customer-1');
    bed.openCart('customer-2');
    bed.openCart(null);

    const exported = await new ExportCustomerCarts(bed.deps).execute('customer-1');
    expect(exported).toEqual([
      {
        id: newer.id,
        status: 'open',
        email: null,
        shippingAddress: null,
        shippingOption: null,
        promotionCode: null,
        orderId: null,
        items: [],
        createdAt: bed.clock.now().toISOString(),
        updatedAt: bed.clock.now().toISOString(),
      },
      {
        id: older.id,
        status: 'closed',
        email: null,
        shippingAddress: ADDRESS,
        shippingOption: 'standard',
        promotionCode: 'SPRING10',
        orderId: ORDER,
        items: [{ sku: 'TEE-M', quantity: 2 }],
        createdAt: createdAt.toISOString(),
        updatedAt: createdAt.toISOString(),
      },
    ]);
  });

  it('an email a customer’s cart still holds (one adopted before emails were dropped) is exported', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart('customer-1');
    bed.carts.put({ ...cart.snapshot(), email: 'old@example.com' });
    const [exported] = await new ExportCustomerCarts(bed.deps).execute('customer-1');
    expect(exported?.email).toBe('old@example.com');
  });

  it('a customer without carts exports an empty list, and the export writes nothing', async () => {
    const bed = cartTestBed();
    bed.openCart('customer-2');
    expect(await new ExportCustomerCarts(bed.deps).execute('customer-1')).toEqual([]);
    expect(bed.uow.commits).toBe(0);
  });
});
