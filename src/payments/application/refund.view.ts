import { money } from '../../platform/money.js';
import type { RefundView } from '../contract.js';
import type { RefundRecord } from './payment.repository.js';

/**
 * A refund as other contexts see it (contract.ts). `failure`: why its last provider call failed, as
 * `<outcome>: <reason>` (`rejected: amount_exceeds_refundable`, `unavailable: timeout`) — for a released
 * refund the refusal, for a pending one the last attempt the worker will repeat; null once it succeeded.
 */
export const toRefundView = (r: RefundRecord): RefundView => ({
  id: r.refund.id,
  orderId: r.orderId,
  amount: money(r.refund.amount, r.currency),
  status: r.refund.status,
  reason: r.refund.reason,
  failure:
    r.refund.status === 'succeeded' || r.lastFailure === null
      ? null
      : r.lastFailure.reason
        ? `${r.lastFailure.outcome}: ${r.lastFailure.reason}`
        : r.lastFailure.outcome,
});
