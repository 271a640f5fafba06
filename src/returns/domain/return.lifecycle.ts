import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of a return (docs/product/spec.md "returns"), in the order of the happy path, then the ends. */
export const RETURN_STATUS_VALUES = [
  'REQUESTED',
  'APPROVED',
  'RECEIVED',
  'REFUNDED',
  'EXCHANGED',
  'CANCELLED',
  'REJECTED',
] as const;
export type ReturnStatus = (typeof RETURN_STATUS_VALUES)[number];

/**
 * The transition table: `REQUESTED → APPROVED → RECEIVED → REFUNDED | EXCHANGED`; the customer cancels
 * before the parcel is received (`REQUESTED | APPROVED → CANCELLED`); staff reject a request
 * (`REQUESTED → REJECTED`). REFUNDED, EXCHANGED, CANCELLED and REJECTED are final.
 */
export const RETURN_TRANSITIONS = {
  REQUESTED: ['APPROVED', 'CANCELLED', 'REJECTED'],
  APPROVED: ['RECEIVED', 'CANCELLED'],
  RECEIVED: ['REFUNDED', 'EXCHANGED'],
  REFUNDED: [],
  EXCHANGED: [],
  CANCELLED: [],
  REJECTED: [],
} as const satisfies { readonly [S in ReturnStatus]: readonly ReturnStatus[] };

/** An illegal move throws IllegalStateTransitionError (409 ILLEGAL_STATE_TRANSITION): "Return cannot move from X to Y". */
export const returnStates = stateMachine<ReturnStatus>('Return', RETURN_TRANSITIONS);

/** Statuses in which a return still holds its order open (the order cannot complete). */
export const OPEN_RETURN_STATUSES: ReadonlySet<ReturnStatus> = new Set(['REQUESTED', 'APPROVED', 'RECEIVED']);

/** docs/product/api.md: the reasons a customer may give. */
export const RETURN_REASON_VALUES = [
  'damaged',
  'wrong_item',
  'not_as_described',
  'no_longer_needed',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASON_VALUES)[number];

/** docs/product/api.md: the condition staff record for each unit received. */
export const RETURN_CONDITION_VALUES = ['resellable', 'damaged'] as const;
export type ReturnCondition = (typeof RETURN_CONDITION_VALUES)[number];

export const isReturnStatus = (value: string): value is ReturnStatus =>
  (RETURN_STATUS_VALUES as readonly string[]).includes(value);
