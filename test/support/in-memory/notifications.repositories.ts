import type {
  NotificationFilter,
  NotificationPage,
  NotificationPosition,
  NotificationRepository,
  NotificationsRepos,
} from '../../../src/notifications/application/notification.repository.js';
import {
  Notification,
  type NotificationProps,
} from '../../../src/notifications/domain/notification.aggregate.js';
import { InMemoryVersionedRows } from './versioned-rows.js';

/** Newest first: `(createdAt, id)` descending, as the SQL listing orders them. */
const newestFirst = (a: NotificationProps, b: NotificationProps): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The notifications repository in memory, for use-case unit tests: copies of the props (a change is
 * stored only when saved), a fresh aggregate on every read, a stale save refused, one notification per
 * event and template. `locks` records what was read for update; `held` ids are skipped by
 * `dueForUpdate`, as rows another transaction locked are.
 */
export class InMemoryNotificationRepository
  extends InMemoryVersionedRows<NotificationProps, Notification>
  implements NotificationRepository
{
  readonly held = new Set<string>();

  constructor() {
    super(
      'notification',
      Notification.restore,
      (r, s) => r.eventId === s.eventId && r.template === s.template,
    );
  }

  async dueForUpdate(now: Date, limit: number): Promise<Notification[]> {
    return [...this.rows.values()]
      .filter(
        (r) => r.status === 'queued' && r.nextAttemptAt && r.nextAttemptAt <= now && !this.held.has(r.id),
      )
      .sort((a, b) => a.nextAttemptAt!.getTime() - b.nextAttemptAt!.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((r) => {
        this.locks.push(r.id);
        return this.restore(r);
      });
  }

  async ofCustomerForUpdate(customerId: string): Promise<Notification[]> {
    return [...this.rows.values()]
      .filter((r) => r.customerId === customerId)
      .map((r) => {
        this.locks.push(r.id);
        return this.restore(r);
      });
  }

  async page(
    filter: NotificationFilter,
    limit: number,
    after: NotificationPosition | null,
  ): Promise<NotificationPage> {
    const matching = [...this.rows.values()]
      .filter(
        (r) =>
          (!filter.status || r.status === filter.status) &&
          (!filter.orderId || r.orderId === filter.orderId) &&
          (!after ||
            r.createdAt < after.createdAt ||
            (r.createdAt.getTime() === after.createdAt.getTime() && r.id < after.id)),
      )
      .sort(newestFirst);
    const notifications = matching.slice(0, limit).map((r) => this.restore(r));
    const last = notifications.at(-1);
    return {
      notifications,
      next: matching.length > limit && last ? { createdAt: last.snapshot().createdAt, id: last.id } : null,
    };
  }
}

/** The repositories of notifications in memory. */
export const inMemoryNotificationsRepos = (): NotificationsRepos & {
  notifications: InMemoryNotificationRepository;
} => ({ notifications: new InMemoryNotificationRepository() });
