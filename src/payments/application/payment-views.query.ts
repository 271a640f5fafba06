import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { PaymentView } from '../contract.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';

/** The payments of these orders, by order id (on the caller's transaction when it holds one). */
export class PaymentViews {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, PaymentView>> {
    const ids = [...new Set(orderIds)].filter(isUuid);
    if (ids.length === 0) return new Map();
    const payments = await readWithin(this.deps.read, tx, ({ repos }) => repos.payments.listByOrders(ids));
    return new Map(payments.map((p) => [p.orderId, toView(p)]));
  }
}
