import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of an order's reservation (the `status` of `inventory_reservations`). */
export const RESERVATION_STATUS_VALUES = ['reserved', 'confirmed', 'released', 'shipped'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUS_VALUES)[number];

/** A reservation is made `reserved`: it holds stock until it expires, is confirmed, released or shipped. */
export const INITIAL_RESERVATION_STATUS: ReservationStatus = 'reserved';

/**
 * The transition table (docs/inventory.md "Model"):
 * - `reserved → confirmed`: the order was paid, the reservation stops expiring;
 * - `reserved | confirmed → released`: cancelled, failed or (only `reserved`) expired — its unshipped
 *   units go back to available;
 * - `reserved | confirmed → shipped`: every line left its warehouse with a dispatched shipment;
 * - `released → reserved`: the order reserves again (a released reservation is held afresh).
 * `shipped` is final: nothing is held any more and nothing releases it. Staying in a status is not a
 * move (confirming a confirmed reservation changes nothing).
 */
export const RESERVATION_TRANSITIONS = {
  reserved: ['confirmed', 'released', 'shipped'],
  confirmed: ['released', 'shipped'],
  released: ['reserved'],
  shipped: [],
} as const satisfies { readonly [S in ReservationStatus]: readonly ReservationStatus[] };

/** An illegal move throws IllegalStateTransitionError ("Reservation cannot move from X to Y"). */
export const reservationStates = stateMachine<ReservationStatus>('Reservation', RESERVATION_TRANSITIONS);

/** Holds stock: its unshipped lines are counted in `reserved`. */
export const isHeld = (status: ReservationStatus): boolean => status === 'reserved' || status === 'confirmed';
