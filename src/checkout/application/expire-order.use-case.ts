import { inventoryReleasedV1 } from '../../inventory/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { placeOrderSteps, systemActor } from './place-order.steps.js';
import { compensateSteps } from './saga.js';

/** Statuses of an order that never got confirmed: its reservation may expire (SPEC.md step 5). */
const UNPAID = new Set(['CREATED', 'PAYMENT_PENDING', 'PAYMENT_AUTHORIZED']);

/**
 * SPEC.md step 5: the inventory sweeper released an order's expired reservation (InventoryReleased,
 * reason `expired`); an order that never reached CONFIRMED is cancelled — its coupon given back, its
 * payment marked to be voided (the payments worker voids it at the provider) — in the consumer's inbox
 * transaction, so a redelivered event changes nothing.
 */
export class ExpireUnpaidOrder {
  private readonly steps;

  constructor(private readonly deps: CheckoutDeps) {
    this.steps = placeOrderSteps(deps);
  }

  async handle(event: IntegrationEvent, tx: TransactionHandle): Promise<void> {
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
    this.deps.outcome('expired');
  }
}
