import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of a refund (the `status` column of `payment_refunds`). */
export const REFUND_STATUSES = ['pending', 'succeeded', 'released'] as const;
/** pending: the amount is reserved and the provider call is due; succeeded: refunded; released: it did not happen. */
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * The refund state machine. A refund we ask for starts `pending` (its amount reserved); one the
 * provider announced on its own starts `succeeded`. Staying in a status is not a move.
 *
 * - pending → succeeded (the provider refunded), released (refused, or the caller gave up on an
 *   unavailable provider: the reservation is given back).
 * - released → succeeded: a call the provider answered late is still money returned.
 * - succeeded is final.
 */
export const REFUND_TRANSITIONS = {
  pending: ['succeeded', 'released'],
  released: ['succeeded'],
  succeeded: [],
} as const satisfies { readonly [S in RefundStatus]: readonly RefundStatus[] };

/** An illegal move throws IllegalStateTransitionError (409): "Refund cannot move from X to Y". */
export const refundStates = stateMachine<RefundStatus>('Refund', REFUND_TRANSITIONS);

export const isRefundStatus = (value: string): value is RefundStatus =>
  (REFUND_STATUSES as readonly string[]).includes(value);
