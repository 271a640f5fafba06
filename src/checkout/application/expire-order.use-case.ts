import { inventoryReleasedV1 } from '../../inventory/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { compensateSteps } from '../../platform/domain/saga.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { settleQuietly } from './complete-authorization.service.js';
import { placeOrderSteps, systemActor } from './place-order.steps.js';

/** Statuses of an order that never got confirmed: its reservation may expire (docs/product/spec.md step 5). */
const UNPAID = new Set(['CREATED', 'PAYMENT_PENDING', 'PAYMENT_AUTHORIZED']);

/**
 * docs/product/spec.md step 5: the inventory sweeper released an order's expired reservation (InventoryReleased,
 * reason `expired`); an order that never reached CONFIRMED is cancelled — its coupon given back, its
 * payment marked to be voided — in the consumer's inbox transaction, so a redelivered event changes
 * nothing; once that commits the provider is asked to void (the payments worker retries if it cannot).
 */
export class ExpireUnpaidOrder {
  private readonly steps;

  constructor(private readonly deps: CheckoutDeps) {
    this.steps = placeOrderSteps(deps);
  }

  async execute(event: IntegrationEvent, tx: TransactionHandle): Promise<void> {
    const released = inventoryReleasedV1.parse(event.data);
    if (released.reason !== 'expired') return;
    const order = await this.deps.orders.get(released.orderId, tx);
    if (!order || !UNPAID.has(order.status)) return;
    // the stock is released already; releasing again is a no-op
    await compensateSteps(
      this.steps,
      {
        orderId: order.id,
        cartId: order.cartId,
        reason: 'reservation expired',
        actor: systemActor,
        reopenCart: false,
      },
      tx,
    );
    // once the inbox transaction has committed (never if it rolls back), void at the provider now;
    // the payments worker retries what this cannot do
    this.deps.afterCommit(tx, () => {
      setTimeout(() => void settleQuietly(this.deps, order.id), 0).unref();
      this.deps.outcome('expired');
    });
  }
}
