import type { NotificationFilter, NotificationPosition } from './notification.repository.js';
import { type NotificationSummaryView, toNotificationSummary } from './notification.view.js';
import type { NotificationsDeps } from './notifications.deps.js';

export interface NotificationViewPage {
  items: NotificationSummaryView[];
  next: NotificationPosition | null;
}

/** The staff listing (`GET /api/v1/admin/notifications`): newest first, filtered, keyset-paginated. */
export class ListNotifications {
  constructor(private readonly deps: NotificationsDeps) {}

  async execute(
    filter: NotificationFilter,
    limit: number,
    after: NotificationPosition | null,
  ): Promise<NotificationViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.notifications.page(filter, limit, after));
    return { items: page.notifications.map(toNotificationSummary), next: page.next };
  }
}
