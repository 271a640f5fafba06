import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  inMemoryFulfilment,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { CreateShipments } from './create-shipments.use-case.js';
import { ListShipments } from './list-shipments.query.js';

const staff = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };

describe('ListShipments', () => {
  it('lists oldest first (the warehouse’s work queue), page by page, every shipment once', async () => {
    const f = inMemoryFulfilment();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const orderId = await confirmedOrder(f);
      ids.push(...(await new CreateShipments(f.deps).execute(orderId, callerTx())).map((s) => s.id));
      f.orders.clock.advance(1_000);
    }
    const list = new ListShipments(f.deps);
    const seen: string[] = [];
    let page = await list.execute({}, 4, null);
    seen.push(...page.items.map((v) => v.id));
    while (page.next) {
      page = await list.execute({}, 4, page.next);
      seen.push(...page.items.map((v) => v.id));
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen.slice(0, 2).sort()).toEqual(ids.slice(0, 2).sort());
  });

  it('filters by status and by order, combined', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const other = await confirmedOrder(f);
    const [a] = await new CreateShipments(f.deps).execute(orderId, callerTx());
    await new CreateShipments(f.deps).execute(other, callerTx());
    const picked = (await f.repos.shipments.find(a!.id))!;
    picked.advance('picked', staff, f.orders.clock.now());
    await f.repos.shipments.save(picked);
    const list = new ListShipments(f.deps);
    expect((await list.execute({ status: 'picked' }, 10, null)).items.map((v) => v.id)).toEqual([a!.id]);
    expect((await list.execute({ orderId }, 10, null)).items).toHaveLength(2);
    const both = await list.execute({ orderId: other, status: 'picked' }, 10, null);
    expect(both.items).toEqual([]);
  });

  it('answers JSON-ready views: ISO instants, the order number, the history', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    const [view] = (await new ListShipments(f.deps).execute({ orderId }, 1, null)).items;
    expect(view).toMatchObject({
      orderId,
      orderNumber: 'EU-000001',
      status: 'pending',
      createdAt: '2026-03-01T10:00:00.000Z',
      history: [{ status: 'pending', at: '2026-03-01T10:00:00.000Z', reason: null }],
    });
  });
});
