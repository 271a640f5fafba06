import { NotificationNotFoundError } from '../domain/notifications.errors.js';
import { type NotificationView, toNotificationView } from './notification.view.js';
import type { NotificationsDeps } from './notifications.deps.js';

/**
 * Staff resend (`POST /api/v1/admin/notifications/:id/resend`): a sent or failed notification is queued
 * again, due now, attempts from zero; the sender renders it for the recipient as they are now. One still
 * queued: 409 ILLEGAL_STATE_TRANSITION. Unknown: 404.
 */
export class ResendNotification {
  constructor(private readonly deps: NotificationsDeps) {}

  execute(id: string): Promise<NotificationView> {
    return this.deps.uow.run(async ({ repos }) => {
      const notification = await repos.notifications.findForUpdate(id);
      if (!notification) throw new NotificationNotFoundError();
      notification.resend(this.deps.clock.now());
      await repos.notifications.save(notification);
      return toNotificationView(notification);
    });
  }
}
