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
import { ReceiveReturn } from './receive-return.use-case.js';
import { RetryReturnRefunds } from './retry-return-refunds.use-case.js';

const received = async (f: InMemoryReturns) => {
  const id = await approvedReturn(f, await deliveredOrder(f));
  await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
    id,
    { warehouseId: WAREHOUSE, lines: [{ sku: 'SKU-1', quantity: 1, condition: 'resellable' }] },
    STAFF,
  );
  quiet(f);
  return id;
};
const retry = (f: InMemoryReturns) =>
  new RetryReturnRefunds(f.deps, f.moves, f.refunds, f.complete).execute();

describe('RetryReturnRefunds', () => {
  it('asks again, under a new refund id, for a refund the provider refused — the refusal in the history, counted', async () => {
    const f = inMemoryReturns();
    f.payments.refuse = 'card expired';
    const id = await received(f);
    const first = f.repos.returns.rows.get(id)!.refundId!;
    expect(f.payments.refunds.get(first)!.status).toBe('released');
    f.payments.refuse = null;
    expect(await retry(f)).toEqual({ completed: 0, retried: 0 }); // not a minute old yet
    f.orders.clock.advance(61_000);
    expect(await retry(f)).toEqual({ completed: 1, retried: 1 });
    const row = f.repos.returns.rows.get(id)!;
    expect(row.refundId).not.toBe(first);
    expect(row.refundAttempts).toBe(2);
    expect(row.history.at(-2)).toMatchObject({
      status: 'RECEIVED',
      reason: 'refund refused: card expired; asked again',
    });
    expect(row.status).toBe('REFUNDED');
    expect(f.retried).toHaveLength(1);
  });

  it('asks again for a refund never reserved (the payment was not captured yet)', async () => {
    const f = inMemoryReturns();
    f.payments.next = 'not_captured';
    const id = await received(f);
    f.payments.next = null;
    f.orders.clock.advance(61_000);
    expect(await retry(f)).toEqual({ completed: 1, retried: 1 });
    expect(f.repos.returns.rows.get(id)!.status).toBe('REFUNDED');
    expect(f.payments.asked.map((a) => a.amount)).toEqual([1250, 1250]);
  });

  it('completes a refund that succeeded meanwhile (a PaymentRefunded missed), and leaves a pending one to payments', async () => {
    const f = inMemoryReturns();
    f.payments.down = true;
    const id = await received(f);
    f.orders.clock.advance(61_000);
    expect(await retry(f)).toEqual({ completed: 0, retried: 0 });
    expect(f.payments.asked).toHaveLength(1);
    f.payments.down = false;
    await f.payments.settle(f.repos.returns.rows.get(id)!.orderId);
    expect(await retry(f)).toEqual({ completed: 1, retried: 0 });
    expect(f.repos.returns.rows.get(id)!.status).toBe('REFUNDED');
  });
});
