import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Guards } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { GetNotification } from '../../application/get-notification.query.js';
import type { ListNotifications } from '../../application/list-notifications.query.js';
import type { ResendNotification } from '../../application/resend-notification.use-case.js';
import {
  encodeCursor,
  notificationPageSchema,
  notificationParams,
  notificationSchema,
  notificationsQuery,
} from './notifications.schemas.js';

export interface NotificationsRouteDeps {
  listNotifications: ListNotifications;
  getNotification: GetNotification;
  resendNotification: ResendNotification;
  guards: Guards;
}

const tags = ['notifications', 'admin'];
const secured = [{ bearer: [] }];

/** Staff routes of notifications (docs/product/api.md "Notifications"): the listing, one mail, resend. */
export const notificationsRoutes: FastifyPluginAsyncZod<NotificationsRouteDeps> = async (
  app,
  { listNotifications, getNotification, resendNotification, guards },
) => {
  const admin = guards.requireRoles('admin');

  app.get(
    '/api/v1/admin/notifications',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Customer emails, with filters (admin)',
        description:
          'Filters combine: `status` (queued, sent, failed) and `orderId`. Newest first, keyset-paginated: `nextCursor` (null on the last page) continues the listing. A cursor this API did not hand out is 400.',
        security: secured,
        querystring: notificationsQuery,
        response: { 200: notificationPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { status, orderId, limit, cursor } = req.query;
      const page = await listNotifications.execute(
        { ...(status ? { status } : {}), ...(orderId ? { orderId } : {}) },
        limit,
        cursor ?? null,
      );
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/api/v1/admin/notifications/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'One customer email, with its text and HTML (admin)',
        description:
          'Without `SMTP_URL` nothing is sent: the mail is kept, and this is where to read it. `lastError` says why the last attempt failed.',
        security: secured,
        params: notificationParams,
        response: { 200: notificationSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (req) => getNotification.execute(req.params.id),
  );

  app.post(
    '/api/v1/admin/notifications/:id/resend',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Queue a customer email again (admin)',
        description:
          'A sent or failed notification is queued again, attempts from zero; the sender renders it for the recipient as they are now and sends it within seconds. One still queued: 409 ILLEGAL_STATE_TRANSITION.',
        security: secured,
        params: notificationParams,
        response: { 200: notificationSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (req) => resendNotification.execute(req.params.id),
  );
};
