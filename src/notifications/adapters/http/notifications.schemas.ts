import { z } from 'zod';
import { queryInteger } from '../../../platform/http/input.js';
import { keysetCursor } from '../../../platform/http/keyset-cursor.js';
import { pageSchema } from '../../../platform/http/schemas.js';
import type { NotificationPosition } from '../../application/notification.repository.js';
import type { NotificationSummaryView, NotificationView } from '../../application/notification.view.js';
import { NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from '../../contract.js';

const status = z.enum(NOTIFICATION_STATUSES);

const summaryShape = {
  id: z.uuid(),
  template: z
    .enum(NOTIFICATION_KINDS)
    .describe(
      'which email: order-confirmed, shipment-dispatched, order-cancelled, refund-issued, return-approved, return-refunded, replacement-shipped',
    ),
  orderId: z.uuid(),
  to: z
    .string()
    .nullable()
    .describe('the recipient’s address when it was rendered; null before, and once the customer was erased'),
  subject: z.string().nullable().describe('null until it is rendered for sending'),
  status,
  attempts: z.number().int().describe('send attempts since it was (re)queued'),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
};

export const notificationSummarySchema = z.object(summaryShape).meta({ id: 'NotificationSummary' });

export const notificationSchema = z
  .object({
    ...summaryShape,
    locale: z.string().describe('the locale it is written in'),
    text: z.string().nullable().describe('the plain-text part; null until rendered, and once erased'),
    html: z.string().nullable().describe('the HTML part; null until rendered, and once erased'),
    lastError: z
      .string()
      .nullable()
      .describe('why the last attempt failed (the SMTP reply), or why it was not sent'),
    nextAttemptAt: z.iso.datetime().nullable().describe('when a queued notification is tried next'),
  })
  .meta({ id: 'Notification' });

/** The response schemas and the application's view types are one shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const summariesAgree: Same<z.infer<typeof notificationSummarySchema>, NotificationSummaryView> = true;
const viewsAgree: Same<z.infer<typeof notificationSchema>, NotificationView> = true;
void summariesAgree;
void viewsAgree;

export const notificationPageSchema = pageSchema(notificationSummarySchema);

export const notificationParams = z.strictObject({ id: z.uuid('must be a UUID') });

/** Opaque keyset cursor: base64url of the position (creation instant and id) of a page's last notification. */
const notificationCursor = keysetCursor('n1');
export const encodeCursor = (p: NotificationPosition): string => notificationCursor.encode(p);

export const notificationsQuery = z.strictObject({
  status: z
    .enum(NOTIFICATION_STATUSES, `must be one of ${NOTIFICATION_STATUSES.join(', ')}`)
    .optional()
    .describe('only notifications in this status'),
  orderId: z.uuid('must be a UUID').optional().describe('only the notifications about this order'),
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: notificationCursor.schema.optional(),
});
