import { describe, expect, it } from 'vitest';
import {
  deliveredOrder,
  inMemoryReturns,
  requestedReturn,
  STAFF,
} from '../../../test/support/in-memory/returns.deps.js';
import { ApproveReturn } from './approve-return.use-case.js';
import { ListReturns } from './list-returns.query.js';

describe('ListReturns', () => {
  it('lists oldest first, page by page, every return once', async () => {
    const f = inMemoryReturns();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await requestedReturn(f, await deliveredOrder(f)));
      if (i % 2 === 0) f.orders.clock.advance(1000);
    }
    const list = new ListReturns(f.deps);
    const seen: string[] = [];
    let page = await list.execute({}, 2, null);
    seen.push(...page.items.map((v) => v.id));
    while (page.next) {
      page = await list.execute({}, 2, page.next);
      seen.push(...page.items.map((v) => v.id));
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen[0]).toBe(ids[0]);
  });

  it('filters by status and by order, combined', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const a = await requestedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 1 }]);
    await requestedReturn(f, orderId, [{ sku: 'SKU-2', quantity: 1 }]);
    const other = await requestedReturn(f, await deliveredOrder(f));
    await new ApproveReturn(f.deps, f.moves).execute(a, STAFF);
    await new ApproveReturn(f.deps, f.moves).execute(other, STAFF);
    const list = new ListReturns(f.deps);
    expect((await list.execute({ status: 'APPROVED' }, 10, null)).items.map((v) => v.id).sort()).toEqual(
      [a, other].sort(),
    );
    expect((await list.execute({ orderId }, 10, null)).items).toHaveLength(2);
    expect((await list.execute({ orderId, status: 'APPROVED' }, 10, null)).items.map((v) => v.id)).toEqual([
      a,
    ]);
  });
});
