import { FulfilmentEventTypes, type ShipmentSummary, shipmentEventV1 } from '../../fulfilment/contract.js';
import type { OrderSnapshot, OrderStatus } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { NotFoundError } from '../../platform/errors.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { systemActor } from './place-order.steps.js';

const LEFT = new Set(['dispatched', 'delivered']);

/**
 * docs/product/spec.md checkout step 6, as an idempotent reaction to fulfilment's events (ShipmentPicked,
 * ShipmentDispatched, ShipmentDelivered) — the same whether they arrive in-process or through Kafka, in
 * whatever order the shipments' partitions deliver them. Inside the consumer's inbox transaction, with
 * the order locked, it compares the order with its shipments as they are now and moves it forward:
 *
 * - a shipment picked (none dispatched yet): CONFIRMED → PROCESSING;
 * - a shipment dispatched: its units leave the stock of its warehouse (`inventory.ship`: on hand and
 *   reserved, ledger, StockAdjusted — idempotent), and, at the order's first dispatch,
 *   CONFIRMED/PROCESSING → SHIPPED and the payment's capture becomes due in the same transaction (made
 *   at the provider once it commits; retried by the payments worker while it fails);
 * - every shipment delivered: SHIPPED → DELIVERED.
 *
 * Reading the current state rather than trusting one event makes a redelivery, a late event or an event
 * overtaken by a later one harmless: the order only ever moves forward along its state machine.
 */
export class FollowShipments {
  constructor(private readonly deps: CheckoutDeps) {}

  async execute(event: IntegrationEvent, tx: TransactionHandle): Promise<void> {
    const { orderId, warehouseId } = shipmentEventV1.parse(event.data);
    const order = await this.deps.orders.get(orderId, tx);
    if (!order) throw new NotFoundError(`Order ${orderId}`);
    if (event.type === FulfilmentEventTypes.ShipmentDispatched) {
      // The stock leaves with the parcel, in this transaction (it was inventory's own consumer of
      // ShipmentDispatched until inventory stopped depending on fulfilment; ADR 0020 History). Lock order
      // as everywhere: the order, then the reservation and its stock rows. An order holding no
      // reservation is a 409: retried, then parked for a human, as before.
      await this.deps.inventory.ship(orderId, warehouseId, tx);
    }
    const shipments = ((await this.deps.fulfilment.shipmentsOf([orderId], tx)).get(orderId) ?? []).filter(
      (s) => s.status !== 'cancelled',
    );
    if (shipments.length === 0) return;
    let status: OrderStatus = order.status;
    const left = shipments.filter((s) => LEFT.has(s.status));

    if (status === 'CANCELLED') {
      if (left.length > 0) {
        this.deps.logger.error(
          { orderId, shipments: left.map((s) => s.id) },
          'a shipment of a cancelled order left the warehouse',
        );
      }
      return;
    }
    if (status === 'CONFIRMED' && left.length === 0 && shipments.some((s) => s.status !== 'pending')) {
      status = await this.move(order, 'PROCESSING', 'picking started', tx);
    }
    if ((status === 'CONFIRMED' || status === 'PROCESSING') && left.length > 0) {
      status = await this.move(order, 'SHIPPED', dispatched(left), tx);
      await this.deps.payments.requestCapture(orderId, tx);
    }
    if (status === 'SHIPPED' && shipments.every((s) => s.status === 'delivered')) {
      await this.move(order, 'DELIVERED', 'every shipment delivered', tx);
    }
  }

  private async move(
    order: OrderSnapshot,
    to: OrderStatus,
    reason: string,
    tx: TransactionHandle,
  ): Promise<OrderStatus> {
    await this.deps.orders.transition(order.id, to, { actor: systemActor, reason }, tx);
    return to;
  }
}

const dispatched = (left: readonly ShipmentSummary[]): string => {
  const tracking = left.map((s) => s.trackingNumber).filter((t): t is string => !!t);
  return tracking.length > 0 ? `dispatched (tracking ${tracking.join(', ')})` : 'dispatched';
};
