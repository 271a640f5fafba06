import type { Notification } from '../domain/notification.aggregate.js';
import type { NotificationStatus } from '../domain/notification.lifecycle.js';

/** A place in the staff listing, newest first: `(createdAt, id)` descending. */
export interface NotificationPosition {
  createdAt: Date;
  id: string;
}

export interface NotificationFilter {
  status?: NotificationStatus;
  orderId?: string;
}

export interface NotificationPage {
  notifications: Notification[];
  /** where the next page starts, or null on the last page */
  next: NotificationPosition | null;
}

/** Persistence port of notifications. */
export interface NotificationRepository {
  /** Inserts it; false (nothing written) when the event already has a notification with that template. */
  insert(notification: Notification): Promise<boolean>;
  find(id: string): Promise<Notification | null>;
  /** The notification, its row locked for the rest of the transaction. */
  findForUpdate(id: string): Promise<Notification | null>;
  /**
   * Queued notifications due at `now`, the longest due first, at most `limit`, their rows locked —
   * skipping rows another transaction holds (another instance's sender).
   */
  dueForUpdate(now: Date, limit: number): Promise<Notification[]>;
  /** The customer's notifications (those rendered for them), their rows locked. */
  ofCustomerForUpdate(customerId: string): Promise<Notification[]>;
  /** Writes every mutable field; fails on a stale copy. */
  save(notification: Notification): Promise<void>;
  /** Newest first, keyset-paginated after `after`, with every filter given. */
  page(
    filter: NotificationFilter,
    limit: number,
    after: NotificationPosition | null,
  ): Promise<NotificationPage>;
}

export interface NotificationsRepos {
  notifications: NotificationRepository;
}
