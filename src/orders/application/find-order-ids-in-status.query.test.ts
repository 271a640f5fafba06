import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { FindOrderIdsInStatus } from './find-order-ids-in-status.query.js';

describe('FindOrderIdsInStatus', () => {
  it('finds the orders in the status whose status changed before the instant, oldest change first', async () => {
    const o = inMemoryOrders();
    const a = await placed(o);
    o.clock.advance(1_000);
    const b = await placed(o);
    await placed(o, {}, 'CANCELLED');
    o.clock.advance(1_000);
    const tooRecent = await placed(o);
    const ids = await new FindOrderIdsInStatus(o.deps).execute('PAYMENT_PENDING', o.clock.now(), 10);
    expect(ids).toEqual([a, b]);
    expect(ids).not.toContain(tooRecent);
  });

  it('answers at most `limit` ids, and at least one even for a limit below 1', async () => {
    const o = inMemoryOrders();
    for (let i = 0; i < 3; i++) {
      await placed(o);
      o.clock.advance(1_000);
    }
    const find = new FindOrderIdsInStatus(o.deps);
    expect(await find.execute('PAYMENT_PENDING', o.clock.now(), 2)).toHaveLength(2);
    expect(await find.execute('PAYMENT_PENDING', o.clock.now(), 0)).toHaveLength(1);
    expect(await find.execute('PAYMENT_PENDING', o.clock.now(), 5_000)).toHaveLength(3);
  });
});
