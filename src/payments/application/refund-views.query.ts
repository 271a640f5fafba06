import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { RefundView } from '../contract.js';
import type { PaymentsDeps } from './payments.deps.js';
import { toRefundView } from './refund.view.js';

/**
 * The refunds with these ids, keyed by the ids as asked (on the caller's transaction when it holds one):
 * status, amount, and why the provider refused it or why its last attempt failed. Unknown ids and ids
 * that are not UUIDs are absent.
 */
export class RefundViews {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(refundIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, RefundView>> {
    const asked = [...new Set(refundIds)].filter(isUuid);
    if (asked.length === 0) return new Map();
    const records = await readWithin(this.deps.read, tx, ({ repos }) =>
      repos.payments.findRefunds([...new Set(asked.map((id) => id.toLowerCase()))]),
    );
    const byId = new Map(records.map((r) => [r.refund.id, toRefundView(r)]));
    const views = new Map<string, RefundView>();
    for (const id of asked) {
      const view = byId.get(id.toLowerCase());
      if (view) views.set(id, view);
    }
    return views;
  }
}
