import type { EntityManager } from 'typeorm';
import type {
  NotificationFilter,
  NotificationPage,
  NotificationPosition,
  NotificationRepository,
  NotificationsRepos,
} from '../../application/notification.repository.js';
import { Notification, type NotificationFacts } from '../../domain/notification.aggregate.js';
import type { NotificationStatus, NotificationTemplate } from '../../domain/notification.lifecycle.js';

interface RawNotificationRow {
  id: string;
  event_id: string;
  template: NotificationTemplate;
  order_id: string;
  locale: string;
  facts: NotificationFacts;
  customer_id: string | null;
  to_address: string | null;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  erased_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const COLUMNS = `n.id, n.event_id, n.template, n.order_id, n.locale, n.facts, n.customer_id, n.to_address,
  n.subject, n.text_body, n.html_body, n.status, n.attempts, n.next_attempt_at, n.last_error, n.sent_at,
  n.erased_at, n.created_at, n.updated_at, n.version`;

const toNotification = (r: RawNotificationRow): Notification =>
  Notification.restore({
    id: r.id,
    eventId: r.event_id,
    template: r.template,
    orderId: r.order_id,
    locale: r.locale,
    facts: r.facts,
    customerId: r.customer_id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    sentAt: r.sent_at,
    erasedAt: r.erased_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  });

/** Notifications in Postgres (parameterised SQL only). */
export class TypeOrmNotificationRepository implements NotificationRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(notification: Notification): Promise<boolean> {
    const s = notification.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO notifications (id, event_id, template, order_id, locale, facts, status, attempts,
         next_attempt_at, created_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, 0)
       ON CONFLICT (event_id, template) DO NOTHING
       RETURNING id`,
      [
        s.id,
        s.eventId,
        s.template,
        s.orderId,
        s.locale,
        JSON.stringify(s.facts),
        s.status,
        s.attempts,
        s.nextAttemptAt,
        s.createdAt,
        s.updatedAt,
      ],
    );
    if (rows.length === 0) return false;
    notification.markSaved(0);
    return true;
  }

  find(id: string): Promise<Notification | null> {
    return this.one(`SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1`, [id]);
  }

  findForUpdate(id: string): Promise<Notification | null> {
    return this.one(`SELECT ${COLUMNS} FROM notifications n WHERE n.id = $1 FOR UPDATE`, [id]);
  }

  async dueForUpdate(now: Date, limit: number): Promise<Notification[]> {
    const rows: RawNotificationRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM notifications n
       WHERE n.status = 'queued' AND n.next_attempt_at <= $1
       ORDER BY n.next_attempt_at, n.id LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(toNotification);
  }

  async ofCustomerForUpdate(customerId: string): Promise<Notification[]> {
    const rows: RawNotificationRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM notifications n WHERE n.customer_id = $1 ORDER BY n.id FOR UPDATE`,
      [customerId],
    );
    return rows.map(toNotification);
  }

  async save(notification: Notification): Promise<void> {
    const s = notification.snapshot();
    const rows: unknown[] = await this.m.query(
      `UPDATE notifications SET customer_id = $2, to_address = $3, subject = $4, text_body = $5,
         html_body = $6, status = $7, attempts = $8, next_attempt_at = $9, last_error = $10, sent_at = $11,
         erased_at = $12, updated_at = $13, version = version + 1
       WHERE id = $1 AND version = $14
       RETURNING id`,
      [
        s.id,
        s.customerId,
        s.to,
        s.subject,
        s.text,
        s.html,
        s.status,
        s.attempts,
        s.nextAttemptAt,
        s.lastError,
        s.sentAt,
        s.erasedAt,
        s.updatedAt,
        s.version,
      ],
    );
    if (rows.length === 0)
      throw new Error(`notification ${s.id} changed since it was read (version ${s.version})`);
    notification.markSaved(s.version + 1);
  }

  async page(
    filter: NotificationFilter,
    limit: number,
    after: NotificationPosition | null,
  ): Promise<NotificationPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`n.status = ${param(filter.status)}`);
    if (filter.orderId) where.push(`n.order_id = ${param(filter.orderId)}`);
    if (after) where.push(`(n.created_at, n.id) < (${param(after.createdAt)}, ${param(after.id)}::uuid)`);
    const rows: RawNotificationRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM notifications n
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY n.created_at DESC, n.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const notifications = rows.slice(0, limit).map(toNotification);
    const last = notifications.at(-1);
    const next = rows.length > limit && last ? { createdAt: last.snapshot().createdAt, id: last.id } : null;
    return { notifications, next };
  }

  private async one(sql: string, params: unknown[]): Promise<Notification | null> {
    const rows: RawNotificationRow[] = await this.m.query(sql, params);
    return rows[0] ? toNotification(rows[0]) : null;
  }
}

export const notificationsRepos = (m: EntityManager): NotificationsRepos => ({
  notifications: new TypeOrmNotificationRepository(m),
});
