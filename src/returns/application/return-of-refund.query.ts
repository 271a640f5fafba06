import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { ReturnReference } from '../contract.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * The return a payments refund was made for (the facade's `returnOfRefund`: notifications tells a
 * return's refund once, as `return-refunded`), or null for an admin's or a cancellation's refund. On
 * the caller's transaction when it holds one.
 */
export class ReturnOfRefund {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(
    refundId: string,
    tx?: TransactionHandle,
  ): Promise<(ReturnReference & { exchange: boolean }) | null> {
    if (!isUuid(refundId)) return null;
    const ret = await readWithin(this.deps.read, tx, ({ repos }) => repos.returns.ofRefund(refundId));
    if (!ret) return null;
    const exchange = ret.snapshot().exchange.length > 0;
    return { returnId: ret.id, number: ret.number, orderId: ret.orderId, exchange };
  }
}
