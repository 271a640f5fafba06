import { money } from '../../platform/money.js';
import type { PaymentView } from '../contract.js';
import type { Payment } from '../domain/payment.aggregate.js';

/** A payment as other contexts see it (contract.ts). */
export const toView = (p: Payment): PaymentView => ({
  id: p.id,
  orderId: p.orderId,
  status: p.status,
  provider: p.provider,
  brand: p.brand,
  last4: p.last4,
  amount: money(p.amount, p.currency),
  authorized: money(p.authorized, p.currency),
  captured: money(p.captured, p.currency),
  refunded: money(p.refunded, p.currency),
});
