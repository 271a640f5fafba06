import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  deliveredOrder,
  type InMemoryReturns,
  inMemoryReturns,
  quiet,
  STAFF,
  WAREHOUSE,
} from '../../../test/support/in-memory/returns.deps.js';
import { OrderEventTypes } from '../../orders/contract.js';
import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import { ReturnEventTypes } from '../contract.js';
import type { ReceiptLine } from '../domain/return.aggregate.js';
import {
  PartialExchangeReceiptError,
  ReplacementOutOfStockError,
  ReturnValidationError,
} from '../domain/returns.errors.js';
import { ReceiveReturn } from './receive-return.use-case.js';
import type { ReturnView } from './return.view.js';

const receive = (f: InMemoryReturns, id: string, lines: ReceiptLine[], warehouseId = WAREHOUSE) =>
  new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(id, { warehouseId, lines }, STAFF);

const good = (sku: string, quantity: number): ReceiptLine => ({ sku, quantity, condition: 'resellable' });

/** The order: SKU-1 ×2 at 12.50, SKU-2 ×1 at 4.99, shipping 4.95, tax included: 34.94. */
describe('ReceiveReturn', () => {
  it('receives, restocks and refunds what was paid for the units: RECEIVED then REFUNDED, both events, counted', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await approvedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 2 }]);
    quiet(f);
    const view = await receive(f, id, [
      good('SKU-1', 1),
      { sku: 'SKU-1', quantity: 1, condition: 'damaged' },
    ]);
    expect(view).toMatchObject({
      status: 'REFUNDED',
      refund: { amount: 2500, currency: 'EUR' },
      warehouseId: WAREHOUSE,
      lines: [{ sku: 'SKU-1', quantity: 2, received: 2, condition: 'mixed' }],
    });
    expect(f.inventory.receipts).toEqual([
      {
        returnId: id,
        warehouseId: WAREHOUSE,
        lines: [good('SKU-1', 1), { sku: 'SKU-1', quantity: 1, condition: 'damaged' }],
      },
    ]);
    expect(f.payments.asked).toEqual([
      { orderId, refundId: expect.any(String), amount: 2500, reason: 'return EU-000001-R1' },
    ]);
    expect(f.payments.settled).toEqual([orderId]);
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnReceived, ReturnEventTypes.ReturnRefunded]);
    expect(f.uow.events[1]!.data).toMatchObject({ refund: { amount: 2500, currency: 'EUR' } });
    expect(f.counted).toEqual(['RECEIVED:damaged', 'REFUNDED:damaged']);
    expect(f.refundedTotal).toEqual([{ amount: 2500, currency: 'EUR' }]);
  });

  it('refunds shipping with the return that brings back the last unit of the order', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const first = await approvedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 2 }]);
    expect((await receive(f, first, [good('SKU-1', 2)])).refund?.amount).toBe(2500);
    const last = await approvedReturn(f, orderId, [{ sku: 'SKU-2', quantity: 1 }]);
    expect((await receive(f, last, [good('SKU-2', 1)])).refund?.amount).toBe(499 + 495);
  });

  it('answers RECEIVED with the reserved refund while the provider is down; PaymentRefunded finishes it later', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    f.payments.down = true;
    const view = await receive(f, id, [good('SKU-1', 1)]);
    expect(view).toMatchObject({ status: 'RECEIVED', refund: { amount: 1250 } });
    expect(f.repos.returns.rows.get(id)).toMatchObject({ refundOpen: true, refundAttempts: 1 });
    expect(f.logged).toContain(
      'warn: return refund not made yet; the payments worker and the returns retry worker finish it',
    );
    const refundId = f.repos.returns.rows.get(id)!.refundId!;
    expect((await f.complete.execute({ refundId, amount: 1250 }))?.status).toBe('REFUNDED');
  });

  it('is REFUNDED at once with 0 when nothing is left to refund, saying so', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    f.payments.next = 'nothing_refundable';
    const view = await receive(f, id, [good('SKU-1', 1)]);
    expect(view).toMatchObject({ status: 'REFUNDED', refund: { amount: 0, currency: 'EUR' } });
    expect(view.history.at(-1)).toMatchObject({ status: 'REFUNDED', reason: 'nothing left to refund' });
    expect(f.payments.settled).toEqual([]);
  });

  it('stays RECEIVED without a refund id when the payment is not captured yet (the worker asks again)', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    f.payments.next = 'not_captured';
    const view = await receive(f, id, [good('SKU-1', 1)]);
    expect(view).toMatchObject({ status: 'RECEIVED', refund: null });
    expect(f.repos.returns.rows.get(id)).toMatchObject({ refundId: null, refundOpen: true, refundDue: 1250 });
  });

  it('is 409 ILLEGAL_STATE_TRANSITION unless APPROVED — a second receipt, or one before approval', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await approvedReturn(f, orderId);
    await receive(f, id, [good('SKU-1', 1)]);
    quiet(f);
    await expect(receive(f, id, [good('SKU-1', 1)])).rejects.toBeInstanceOf(IllegalStateTransitionError);
    expect(f.inventory.receipts).toHaveLength(1);
    expect(f.payments.asked).toHaveLength(1);
    expect(f.uow.events).toEqual([]);
  });

  it('is 400 for more units than requested (nothing restocked), 404 for an unknown warehouse', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    await expect(receive(f, id, [good('SKU-1', 2)])).rejects.toBeInstanceOf(ReturnValidationError);
    expect(f.inventory.receipts).toEqual([]);
    const g = inMemoryReturns();
    const other = await approvedReturn(g, await deliveredOrder(g));
    await expect(
      receive(g, other, [good('SKU-1', 1)], '0b0b0b0b-0000-4000-8000-00000000000b'),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(g.payments.asked).toEqual([]);
  });

  it('records the answer with the receipt in its transaction when an Idempotency-Key checkpoint is given', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    const calls: string[] = [];
    await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
      id,
      { warehouseId: WAREHOUSE, lines: [good('SKU-1', 1)] },
      STAFF,
      {
        claim: async () => {
          calls.push('claim');
        },
        record: async (_tx, view: ReturnView) => {
          calls.push(`record ${view.status}`);
        },
        forget: async () => {
          calls.push('forget');
        },
      },
    );
    expect(calls).toEqual(['claim', 'record RECEIVED']);
  });

  describe('an exchange', () => {
    const exchangeOf = async (f: InMemoryReturns, price: number) => {
      const orderId = await deliveredOrder(f);
      for (const sku of ['SKU-1', 'SKU-1-L']) {
        f.variants.set(sku, {
          sku,
          productId: 'p1',
          productName: `Thing ${sku}`,
          slug: 't',
          status: 'active',
          taxClass: 's',
        });
      }
      f.prices.set('SKU-1-L', { amount: price, currency: 'EUR' });
      const id = await approvedReturn(
        f,
        orderId,
        [{ sku: 'SKU-1', quantity: 2 }],
        [{ sku: 'SKU-1-L', quantity: 2 }],
      );
      quiet(f);
      f.orders.uow.events.length = 0;
      return { orderId, id };
    };

    it('places a free replacement order, reserved and confirmed without a payment: EXCHANGED, ReturnExchanged', async () => {
      const f = inMemoryReturns();
      const { orderId, id } = await exchangeOf(f, 1250);
      const view = await receive(f, id, [good('SKU-1', 2)]);
      expect(view).toMatchObject({ status: 'EXCHANGED', refund: null });
      const replacementId = view.replacementOrderId!;
      const original = (await f.orders.facade.get(orderId))!;
      const replacement = (await f.orders.facade.get(replacementId))!;
      expect(replacement).toMatchObject({
        status: 'CONFIRMED',
        cartId: id,
        customerId: original.customerId,
        email: original.email,
        shippingAddress: original.shippingAddress,
        total: 0,
        shipping: 0,
        tax: 0,
        lines: [
          {
            sku: 'SKU-1-L',
            name: 'Thing SKU-1-L',
            quantity: 2,
            unitPrice: 1250,
            subtotal: 2500,
            discount: 2500,
            lineTotal: 0,
            tax: 0,
          },
        ],
      });
      expect(replacement.history.at(-1)!.reason).toBe('replacement for return EU-000001-R1: no payment');
      expect(f.inventory.reserved.get(replacementId)).toEqual([{ sku: 'SKU-1-L', quantity: 2 }]);
      expect(f.inventory.confirmed).toEqual([replacementId]);
      expect(f.orders.uow.eventTypes()).toContain(OrderEventTypes.OrderConfirmed);
      expect(f.payments.asked).toEqual([]);
      expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnReceived, ReturnEventTypes.ReturnExchanged]);
      expect(f.uow.events[1]!.data).toEqual({
        returnId: id,
        orderId,
        number: 'EU-000001-R1',
        replacementOrderId: replacementId,
      });
    });

    it('refunds the difference of a cheaper replacement, shown as the refund', async () => {
      const f = inMemoryReturns();
      const { id } = await exchangeOf(f, 1000);
      const view = await receive(f, id, [good('SKU-1', 2)]);
      // paid 2500 for 2 × 12.50; the replacement lists 2 × 10.00: worth 2000
      expect(view).toMatchObject({ status: 'EXCHANGED', refund: { amount: 500, currency: 'EUR' } });
      expect(f.payments.asked.map((a) => a.amount)).toEqual([500]);
      expect(f.uow.events[1]!.data).toMatchObject({ refund: { amount: 500, currency: 'EUR' } });
      expect(f.repos.returns.rows.get(id)!.refundOpen).toBe(false);
    });

    it('is received in full only (409), and 409 OUT_OF_STOCK when the replacement cannot be reserved', async () => {
      const f = inMemoryReturns();
      const { id } = await exchangeOf(f, 1250);
      await expect(receive(f, id, [good('SKU-1', 1)])).rejects.toBeInstanceOf(PartialExchangeReceiptError);
      f.inventory.stock.set('SKU-1-L', 1);
      await expect(receive(f, id, [good('SKU-1', 2)])).rejects.toBeInstanceOf(ReplacementOutOfStockError);
      expect(f.uow.events).toEqual([]);
    });
  });
});
