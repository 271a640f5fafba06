import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of a shipment (docs/product/spec.md "fulfilment"), in the order of the happy path, then `cancelled`. */
export const SHIPMENT_STATUS_VALUES = [
  'pending',
  'picked',
  'packed',
  'dispatched',
  'delivered',
  'cancelled',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUS_VALUES)[number];

/**
 * The transition table: `pending → picked → packed → dispatched → delivered`, each step only from the
 * one before; a shipment that has not left the warehouse is `cancelled` with its order. Dispatched and
 * later cannot be cancelled (the parcel is with the carrier). `delivered` and `cancelled` are final.
 */
export const SHIPMENT_TRANSITIONS = {
  pending: ['picked', 'cancelled'],
  picked: ['packed', 'cancelled'],
  packed: ['dispatched', 'cancelled'],
  dispatched: ['delivered'],
  delivered: [],
  cancelled: [],
} as const satisfies { readonly [S in ShipmentStatus]: readonly ShipmentStatus[] };

/** An illegal step throws IllegalStateTransitionError (409 ILLEGAL_STATE_TRANSITION): "Shipment cannot move from X to Y". */
export const shipmentStates = stateMachine<ShipmentStatus>('Shipment', SHIPMENT_TRANSITIONS);

/** Statuses in which the parcel has left the warehouse. */
export const LEFT_WAREHOUSE: ReadonlySet<ShipmentStatus> = new Set(['dispatched', 'delivered']);

export const isShipmentStatus = (value: string): value is ShipmentStatus =>
  (SHIPMENT_STATUS_VALUES as readonly string[]).includes(value);
