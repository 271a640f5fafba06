/**
 * The notifications context's public surface. Notifications sends the customer's transactional email
 * (order confirmed, shipment dispatched, order cancelled, refund issued, return approved, return
 * refunded, replacement shipped) from the events of orders, fulfilment, payments and returns; it
 * publishes no events. Its facade is one read: what was sent about an order.
 */
import { NOTIFICATION_STATUS_VALUES, NOTIFICATION_TEMPLATES } from './domain/notification.lifecycle.js';

export const NOTIFICATIONS_CONTEXT = 'notifications';

/** queued → sent | failed; staff queue a sent or failed one again. */
export const NOTIFICATION_STATUSES = NOTIFICATION_STATUS_VALUES;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The emails, one per kind of event. */
export const NOTIFICATION_KINDS = NOTIFICATION_TEMPLATES;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A notification as another context sees it (no address, no content). */
export interface NotificationSummary {
  id: string;
  template: NotificationKind;
  status: NotificationStatus;
  sentAt: Date | null;
  createdAt: Date;
}

export interface NotificationsFacade {
  /** The notifications about this order, newest first (at most 100). */
  ofOrder(orderId: string): Promise<NotificationSummary[]>;
}
