import { EntitySchema } from 'typeorm';

/**
 * Row shape of the notifications table (migrations/1763700001800-notifications.ts). The repository
 * reads and writes it with parameterised SQL; this schema tells TypeORM, and the ownership check of
 * test/unit/contexts.test.ts, that the table is ours.
 */
export interface NotificationRow {
  id: string;
  eventId: string;
  template: string;
  orderId: string;
  locale: string;
  facts: Record<string, unknown>;
  customerId: string | null;
  toAddress: string | null;
  subject: string | null;
  textBody: string | null;
  htmlBody: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const ts = { type: 'timestamptz' as const };
const nullableTs = { ...ts, nullable: true };
const nullableText = { type: 'text' as const, nullable: true };

export const NotificationSchema = new EntitySchema<NotificationRow>({
  name: 'Notification',
  tableName: 'notifications',
  columns: {
    id: { type: 'uuid', primary: true },
    eventId: { type: 'uuid', name: 'event_id' },
    template: { type: 'text' },
    orderId: { type: 'uuid', name: 'order_id' },
    locale: { type: 'text' },
    facts: { type: 'jsonb' },
    customerId: { type: 'uuid', name: 'customer_id', nullable: true },
    toAddress: { ...nullableText, name: 'to_address' },
    subject: nullableText,
    textBody: { ...nullableText, name: 'text_body' },
    htmlBody: { ...nullableText, name: 'html_body' },
    status: { type: 'text' },
    attempts: { type: 'int' },
    nextAttemptAt: { ...nullableTs, name: 'next_attempt_at' },
    lastError: { ...nullableText, name: 'last_error' },
    sentAt: { ...nullableTs, name: 'sent_at' },
    erasedAt: { ...nullableTs, name: 'erased_at' },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    version: { type: 'int' },
  },
});

export const NOTIFICATIONS_ENTITIES = [NotificationSchema];
