import type { OrderAddress } from '../../orders/contract.js';

/** What a carrier hands back when it takes a parcel: its name and the parcel's tracking number. */
export interface CarrierLabel {
  carrier: string;
  trackingNumber: string;
}

/** Where the parcel goes: the order's shipping address (personal data: only the carrier gets it). */
export type CarrierAddress = OrderAddress;

export interface CarrierBooking {
  /** the same key books once: asking again (a retry, a second dispatch click) returns the first label */
  idempotencyKey: string;
  shipmentId: string;
  orderNumber: string;
  warehouseId: string;
  lines: readonly { sku: string; quantity: number }[];
  address: CarrierAddress;
}

/**
 * The carrier port (docs/product/spec.md: "a `Carrier` port, built-in fake carrier issues tracking numbers"). Real
 * carriers are adapters of it; calls are made outside any database transaction.
 */
export interface Carrier {
  readonly name: string;
  /** Books the collection of a parcel. Throws {@link CarrierUnavailableError} when the carrier cannot be reached. */
  book(booking: CarrierBooking): Promise<CarrierLabel>;
}

/** The carrier did not answer (timeout, 5xx, outage): nothing was booked that we know of; try again. */
export class CarrierUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`the carrier is unavailable: ${reason}`);
    this.name = 'CarrierUnavailableError';
  }
}
