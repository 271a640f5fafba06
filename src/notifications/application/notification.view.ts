import type { Notification } from '../domain/notification.aggregate.js';
import type { NotificationStatus, NotificationTemplate } from '../domain/notification.lifecycle.js';

/** A notification in the staff listing (docs/product/api.md "Notifications"). */
export interface NotificationSummaryView {
  id: string;
  template: NotificationTemplate;
  orderId: string;
  to: string | null;
  subject: string | null;
  status: NotificationStatus;
  attempts: number;
  sentAt: string | null;
  createdAt: string;
}

/** One notification with its mail (`text`, `html`) and why the last attempt failed. */
export interface NotificationView extends NotificationSummaryView {
  locale: string;
  text: string | null;
  html: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const toNotificationSummary = (n: Notification): NotificationSummaryView => {
  const s = n.snapshot();
  return {
    id: s.id,
    template: s.template,
    orderId: s.orderId,
    to: s.to,
    subject: s.subject,
    status: s.status,
    attempts: s.attempts,
    sentAt: iso(s.sentAt),
    createdAt: s.createdAt.toISOString(),
  };
};

export const toNotificationView = (n: Notification): NotificationView => {
  const s = n.snapshot();
  return {
    ...toNotificationSummary(n),
    locale: s.locale,
    text: s.text,
    html: s.html,
    lastError: s.lastError,
    nextAttemptAt: iso(s.nextAttemptAt),
  };
};
