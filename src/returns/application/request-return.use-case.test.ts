import { describe, expect, it } from 'vitest';
import {
  DAY,
  deliveredOrder,
  inMemoryReturns,
  owner,
  quiet,
  requestedReturn,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReturnEventTypes } from '../contract.js';
import {
  ReturnNotAllowedError,
  ReturnOrderNotFoundError,
  ReturnValidationError,
} from '../domain/returns.errors.js';
import { RequestReturn } from './request-return.use-case.js';

const one = { lines: [{ sku: 'SKU-1', quantity: 1, reason: 'damaged' as const }] };

describe('RequestReturn', () => {
  it('creates a REQUESTED return numbered after the order, with ReturnRequested, counted, after locking the order', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    f.orders.repos.orders.locks.length = 0;
    const view = await new RequestReturn(f.deps).execute(orderId, owner, { ...one, note: 'too small' });
    expect(view).toMatchObject({
      orderId,
      number: 'EU-000001-R1',
      status: 'REQUESTED',
      lines: [{ sku: 'SKU-1', quantity: 1, reason: 'damaged', received: 0, condition: null }],
      exchange: [],
      refund: null,
      replacementOrderId: null,
      note: 'too small',
      history: [{ status: 'REQUESTED', reason: null }],
    });
    expect(f.orders.repos.orders.locks).toEqual([orderId]);
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnRequested]);
    expect(f.uow.events[0]!.data).toEqual({
      returnId: view.id,
      orderId,
      number: 'EU-000001-R1',
      lines: [{ sku: 'SKU-1', quantity: 1 }],
    });
    expect(f.counted).toEqual(['REQUESTED:damaged']);
  });

  it('numbers the order’s returns R1, R2, … and counts units already requested (409 beyond delivered)', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    await requestedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 1 }]);
    const second = await new RequestReturn(f.deps).execute(orderId, owner, one);
    expect(second.number).toBe('EU-000001-R2');
    quiet(f);
    f.orders.repos.orders.locks.length = 0;
    await expect(new RequestReturn(f.deps).execute(orderId, owner, one)).rejects.toBeInstanceOf(
      ReturnNotAllowedError,
    );
    expect(f.uow.events).toEqual([]);
    expect(f.repos.returns.rows.size).toBe(2);
    // refused on what is committed, before queueing on the order's lock
    expect(f.orders.repos.orders.locks).toEqual([]);
  });

  it('only counts units of delivered shipments (409 for what is still on its way)', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(
      f,
      {},
      { status: 'SHIPPED', shipped: [{ sku: 'SKU-1', quantity: 1 }] },
    );
    await expect(
      new RequestReturn(f.deps).execute(orderId, owner, {
        lines: [{ sku: 'SKU-2', quantity: 1, reason: 'other' }],
      }),
    ).rejects.toBeInstanceOf(ReturnNotAllowedError);
    expect((await new RequestReturn(f.deps).execute(orderId, owner, one)).status).toBe('REQUESTED');
  });

  it('refuses a request after the window (RETURN_WINDOW_DAYS after the last delivery) and every one with a window of 0', async () => {
    const f = inMemoryReturns(14);
    const orderId = await deliveredOrder(f);
    f.orders.clock.advance(14 * DAY + 1);
    await expect(new RequestReturn(f.deps).execute(orderId, owner, one)).rejects.toBeInstanceOf(
      ReturnNotAllowedError,
    );
    const none = inMemoryReturns(0);
    const id = await deliveredOrder(none);
    await expect(new RequestReturn(none.deps).execute(id, owner, one)).rejects.toBeInstanceOf(
      ReturnNotAllowedError,
    );
  });

  it('answers 404 for an order that is not the caller’s, and for a guest who gives the wrong email', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const stranger = { principal: { ...owner.principal, userId: '6d6d6d6d-0000-4000-8000-000000000006' } };
    await expect(new RequestReturn(f.deps).execute(orderId, stranger, one)).rejects.toBeInstanceOf(
      ReturnOrderNotFoundError,
    );
    const staff = { principal: { ...stranger.principal, roles: ['admin' as const] } };
    await expect(new RequestReturn(f.deps).execute(orderId, staff, one)).rejects.toBeInstanceOf(
      ReturnOrderNotFoundError,
    );
    await expect(
      new RequestReturn(f.deps).execute('7e7e7e7e-0000-4000-8000-000000000007', owner, one),
    ).rejects.toBeInstanceOf(ReturnOrderNotFoundError);
    const guestOrder = await deliveredOrder(f, { customerId: null, email: 'guest@example.com' });
    const wrong = { principal: null, email: 'other@example.com' };
    await expect(new RequestReturn(f.deps).execute(guestOrder, wrong, one)).rejects.toBeInstanceOf(
      ReturnOrderNotFoundError,
    );
    const guest = { principal: null, email: 'GUEST@example.com' };
    const view = await new RequestReturn(f.deps).execute(guestOrder, guest, one);
    expect(f.repos.returns.rows.get(view.id)!.history[0]!.actor).toEqual({ kind: 'guest' });
  });

  it('accepts an exchange for a variant of the returned product at a price no higher (catalog and pricing asked)', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const variant = (sku: string, productId: string, status: 'active' | 'archived' = 'active') =>
      f.variants.set(sku, {
        sku,
        productId,
        productName: 'Thing',
        slug: 'thing',
        status,
        taxClass: 'standard',
      });
    variant('SKU-1', 'p1');
    variant('SKU-1-L', 'p1');
    variant('SKU-2', 'p2');
    f.prices.set('SKU-1-L', { amount: 1250, currency: 'EUR' });
    f.prices.set('SKU-2', { amount: 499, currency: 'EUR' });
    const view = await new RequestReturn(f.deps).execute(orderId, owner, {
      lines: [{ sku: 'SKU-1', quantity: 2, reason: 'wrong_item' }],
      exchange: [{ sku: 'SKU-1-L', quantity: 2 }],
    });
    expect(view.exchange).toEqual([{ sku: 'SKU-1-L', quantity: 2 }]);
    const err = await new RequestReturn(f.deps)
      .execute(orderId, owner, {
        lines: [{ sku: 'SKU-2', quantity: 1, reason: 'wrong_item' }],
        exchange: [{ sku: 'SKU-1-L', quantity: 1 }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReturnValidationError);
    expect((err as ReturnValidationError).errors).toEqual([
      { path: 'exchange[0].sku', message: 'SKU-1-L is not a variant of a returned product' },
    ]);
  });
});
