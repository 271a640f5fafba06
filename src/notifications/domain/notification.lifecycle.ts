import { stateMachine } from '../../platform/domain/state-machine.js';

/** The statuses of a notification (docs/product/api.md "Notifications"). */
export const NOTIFICATION_STATUS_VALUES = ['queued', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUS_VALUES)[number];

/**
 * The transition table: a queued notification is `sent` (the mailer took it) or `failed` (the SMTP
 * server kept refusing until the last attempt, or there is nobody to send it to); staff queue a sent
 * or failed one again (resend). A failed attempt that will be retried stays `queued` (an attempt
 * counted, the next one scheduled): that is not a move.
 */
export const NOTIFICATION_TRANSITIONS = {
  queued: ['sent', 'failed'],
  sent: ['queued'],
  failed: ['queued'],
} as const satisfies { readonly [S in NotificationStatus]: readonly NotificationStatus[] };

/** An illegal move throws IllegalStateTransitionError (409 ILLEGAL_STATE_TRANSITION). */
export const notificationStates = stateMachine<NotificationStatus>('Notification', NOTIFICATION_TRANSITIONS);

/**
 * The emails shopcore sends, one per kind of event (the template's name). `replacement-shipped` is the
 * dispatch mail of an exchange's replacement order, sent instead of `shipment-dispatched`.
 */
export const NOTIFICATION_TEMPLATES = [
  'order-confirmed',
  'shipment-dispatched',
  'order-cancelled',
  'refund-issued',
  'return-approved',
  'return-refunded',
  'replacement-shipped',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];
