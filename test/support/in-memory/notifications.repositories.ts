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

/** Newest first: `(createdAt, id)` descending, as the SQL listing orders them. */
const newestFirst = (a: NotificationProps, b: NotificationProps): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

const copy = (p: Readonly<NotificationProps>): NotificationProps => structuredClone({ ...p });

/**
 * The notifications repository in memory, for use-case unit tests: copies of the props (a change is
 * stored only when saved), a fresh aggregate on every read, a stale save refused, one notification per
 * event and template. `locks` records what was read for update; `held` ids are skipped by
 * `dueForUpdate`, as rows another transaction locked are.
 */
export class InMemoryNotificationRepository implements NotificationRepository {
  readonly rows = new Map<string, NotificationProps>();
  readonly locks: string[] = [];
  readonly held = new Set<string>();

  async insert(notification: Notification): Promise<boolean> {
    const s = notification.snapshot();
    const taken = [...this.rows.values()].some((r) => r.eventId === s.eventId && r.template === s.template);
    if (taken || this.rows.has(s.id)) return false;
    this.rows.set(s.id, copy({ ...s, version: 0 }));
    notification.markSaved(0);
    return true;
  }

  async find(id: string): Promise<Notification | null> {
    const row = this.rows.get(id);
    return row ? Notification.restore(copy(row)) : null;
  }

  async findForUpdate(id: string): Promise<Notification | null> {
    this.locks.push(id);
    return this.find(id);
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
        return Notification.restore(copy(r));
      });
  }

  async ofCustomerForUpdate(customerId: string): Promise<Notification[]> {
    return [...this.rows.values()]
      .filter((r) => r.customerId === customerId)
      .map((r) => {
        this.locks.push(r.id);
        return Notification.restore(copy(r));
      });
  }

  async save(notification: Notification): Promise<void> {
    const s = notification.snapshot();
    const row = this.rows.get(s.id);
    if (!row || row.version !== s.version)
      throw new Error(`notification ${s.id} changed since it was read (version ${s.version})`);
    this.rows.set(s.id, copy({ ...s, version: s.version + 1 }));
    notification.markSaved(s.version + 1);
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
    const notifications = matching.slice(0, limit).map((r) => Notification.restore(copy(r)));
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
