import type { OrderView } from '../../orders/contract.js';
import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { NotFoundError } from '../../platform/errors.js';
import type { CheckoutDeps } from './checkout.deps.js';

/**
 * `POST /api/v1/admin/orders/:id/refunds` (admin): refunds part or all of what was captured. Payments
 * reserves the amount under its row lock before asking the provider, so concurrent refunds never add
 * up to more than captured − refunded (409 CONFLICT beyond). `checkpoint` records the order as the
 * answer in the transaction that reserves the amount — from then on the refund is made, now or by the
 * payments worker — and takes it back in the one that releases it (ADR 0009).
 */
export class RefundOrder {
  constructor(private readonly deps: CheckoutDeps) {}

  async execute(
    orderId: string,
    input: { amount?: number; reason: string },
    checkpoint?: AnswerCheckpoint<OrderView>,
  ): Promise<OrderView> {
    const order = await this.deps.orders.get(orderId);
    if (!order) throw new NotFoundError('Order');
    await this.deps.payments.refund(
      orderId,
      input,
      checkpoint && {
        begin: (tx) => checkpoint.claim(tx),
        reserved: async (tx) => {
          const view = await this.deps.orders.view(orderId, tx);
          if (view) await checkpoint.record(tx, view);
        },
        released: (tx) => checkpoint.forget(tx),
      },
    );
    this.deps.outcome('refunded');
    const view = await this.deps.orders.view(orderId);
    if (!view) throw new NotFoundError('Order');
    return view;
  }
}
