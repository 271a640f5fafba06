import type { OrderView } from '../../orders/contract.js';
import { NotFoundError } from '../../platform/errors.js';
import type { CheckoutDeps } from './checkout.deps.js';

/**
 * `POST /api/v1/admin/orders/:id/refunds` (admin): refunds part or all of what was captured. Payments
 * reserves the amount under its row lock before asking the provider, so concurrent refunds never add
 * up to more than captured − refunded (409 CONFLICT beyond).
 */
export class RefundOrder {
  constructor(private readonly deps: CheckoutDeps) {}

  async execute(orderId: string, input: { amount?: number; reason: string }): Promise<OrderView> {
    const order = await this.deps.orders.get(orderId);
    if (!order) throw new NotFoundError('Order');
    await this.deps.payments.refund(orderId, input);
    this.deps.outcome('refunded');
    const view = await this.deps.orders.view(orderId);
    if (!view) throw new NotFoundError('Order');
    return view;
  }
}
