import type { z } from 'zod';
import {
  CatalogEventTypes,
  productArchivedV1,
  productCreatedV1,
  productUpdatedV1,
} from './catalog/contract.js';
import { FulfilmentEventTypes, shipmentEventV1 } from './fulfilment/contract.js';
import { customerErasedV1, customerRegisteredV1, IdentityEventTypes } from './identity/contract.js';
import {
  InventoryEventTypes,
  inventoryReleasedV1,
  inventoryReservationFailedV1,
  inventoryReservedV1,
  stockAdjustedV1,
} from './inventory/contract.js';
import { OrderEventTypes, orderPlacedV1, orderStatusChangedV1 } from './orders/contract.js';
import { PaymentEventTypes, paymentEventV1 } from './payments/contract.js';
import { PricingEventTypes, priceChangedV1, promotionRedeemedV1 } from './pricing/contract.js';
import { ReturnEventTypes, returnEventV1, returnSettledV1 } from './returns/contract.js';

/** One integration event type as it leaves the process: its `ce_type`, context (topic) and data schema. */
export interface EventContract {
  /** `shopcore.<context>.<Name>.v<version>` */
  type: string;
  context: string;
  schema: z.ZodObject;
}

const contract = (type: string, schema: z.ZodObject): EventContract => ({
  type,
  context: type.split('.')[1]!,
  schema,
});

/**
 * Every integration event type shopcore publishes, with the versioned zod schema its data is validated
 * against before it is written to the outbox (each context's contract.ts). `docs/asyncapi.yaml` is
 * checked against this list by `npm run lint:asyncapi` (tools/check-asyncapi.ts): one message per type,
 * on its context's topic, with a payload schema of the same fields, types and required set.
 */
export const EVENT_CONTRACTS: readonly EventContract[] = [
  contract(CatalogEventTypes.ProductCreated, productCreatedV1),
  contract(CatalogEventTypes.ProductUpdated, productUpdatedV1),
  contract(CatalogEventTypes.ProductArchived, productArchivedV1),
  contract(PricingEventTypes.PriceChanged, priceChangedV1),
  contract(PricingEventTypes.PromotionRedeemed, promotionRedeemedV1),
  contract(InventoryEventTypes.StockAdjusted, stockAdjustedV1),
  contract(InventoryEventTypes.InventoryReserved, inventoryReservedV1),
  contract(InventoryEventTypes.InventoryReleased, inventoryReleasedV1),
  contract(InventoryEventTypes.InventoryReservationFailed, inventoryReservationFailedV1),
  contract(OrderEventTypes.OrderPlaced, orderPlacedV1),
  contract(OrderEventTypes.OrderConfirmed, orderStatusChangedV1),
  contract(OrderEventTypes.OrderCancelled, orderStatusChangedV1),
  contract(OrderEventTypes.OrderShipped, orderStatusChangedV1),
  contract(OrderEventTypes.OrderDelivered, orderStatusChangedV1),
  contract(OrderEventTypes.OrderCompleted, orderStatusChangedV1),
  ...Object.values(PaymentEventTypes).map((type) => contract(type, paymentEventV1)),
  ...Object.values(FulfilmentEventTypes).map((type) => contract(type, shipmentEventV1)),
  contract(IdentityEventTypes.CustomerRegistered, customerRegisteredV1),
  contract(IdentityEventTypes.CustomerErased, customerErasedV1),
  contract(ReturnEventTypes.ReturnRequested, returnEventV1),
  contract(ReturnEventTypes.ReturnApproved, returnEventV1),
  contract(ReturnEventTypes.ReturnRejected, returnEventV1),
  contract(ReturnEventTypes.ReturnCancelled, returnEventV1),
  contract(ReturnEventTypes.ReturnReceived, returnEventV1),
  contract(ReturnEventTypes.ReturnRefunded, returnSettledV1),
  contract(ReturnEventTypes.ReturnExchanged, returnSettledV1),
];

/** The contract of a `ce_type`, or undefined for a type shopcore does not publish. */
export const eventContractOf = (type: string): EventContract | undefined =>
  EVENT_CONTRACTS.find((c) => c.type === type);
