import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of a payment (the same as `PaymentStatus` of contract.ts). */
export const PAYMENT_STATUSES = [
  'PENDING',
  'AUTHORIZED',
  'FAILED',
  'VOID_PENDING',
  'VOIDED',
  'CAPTURED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The payment state machine (docs/payments.md). Staying in a status is not a move: a second partial
 * refund keeps PARTIALLY_REFUNDED by changing amounts only.
 *
 * - PENDING → AUTHORIZED (the provider approved), FAILED (declined), VOID_PENDING (the order was
 *   cancelled before an answer: an authorization may exist at the provider, so it is looked up and voided).
 * - AUTHORIZED → CAPTURED (first dispatch), VOID_PENDING (order cancelled), VOIDED (the provider announced
 *   a void made on its side).
 * - VOID_PENDING → VOIDED (void made, or nothing was held), REFUNDED (cancelled after capture: the full
 *   refund went through), FAILED (a late decline of a payment cancelled while pending: nothing held).
 * - VOIDED → VOID_PENDING: an authorization that arrives after its cancelled payment was settled (a
 *   worker's attempt was still in flight) is voided too.
 * - CAPTURED → PARTIALLY_REFUNDED, REFUNDED, VOID_PENDING (cancelled after capture: refund the rest).
 * - PARTIALLY_REFUNDED → REFUNDED, VOID_PENDING.
 * - FAILED and REFUNDED are final.
 */
export const paymentStates = stateMachine<PaymentStatus>('Payment', {
  PENDING: ['AUTHORIZED', 'FAILED', 'VOID_PENDING'],
  AUTHORIZED: ['CAPTURED', 'VOID_PENDING', 'VOIDED'],
  FAILED: [],
  VOID_PENDING: ['VOIDED', 'REFUNDED', 'FAILED'],
  VOIDED: ['VOID_PENDING'],
  CAPTURED: ['PARTIALLY_REFUNDED', 'REFUNDED', 'VOID_PENDING'],
  PARTIALLY_REFUNDED: ['REFUNDED', 'VOID_PENDING'],
  REFUNDED: [],
});
