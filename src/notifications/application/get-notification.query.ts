import { NotificationNotFoundError } from '../domain/notifications.errors.js';
import { type NotificationView, toNotificationView } from './notification.view.js';
import type { NotificationsDeps } from './notifications.deps.js';

/** One notification with its mail (`GET /api/v1/admin/notifications/:id`); 404 when unknown. */
export class GetNotification {
  constructor(private readonly deps: NotificationsDeps) {}

  async execute(id: string): Promise<NotificationView> {
    const n = await this.deps.read.run(({ repos }) => repos.notifications.find(id));
    if (!n) throw new NotificationNotFoundError();
    return toNotificationView(n);
  }
}
