import type { IdentityFacade } from '../../identity/contract.js';
import type { OrdersFacade } from '../../orders/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { ReturnsFacade } from '../../returns/contract.js';
import type { RetrySchedule } from '../domain/notification-retry.policy.js';
import type { MailRenderer } from './mail-renderer.port.js';
import type { Mailer } from './mailer.port.js';
import type { NotificationsRepos } from './notification.repository.js';

export interface NotificationsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What `notifications_total{event}` counts. */
export type CountedNotificationEvent = 'sent' | 'retried' | 'failed';

/** Everything the notifications use cases need, wired in notifications.plugin.ts. */
export interface NotificationsDeps {
  uow: UnitOfWork<NotificationsRepos>;
  read: UnitOfWork<NotificationsRepos>;
  clock: Clock;
  /** the region's locales, its default first: a notification is written in the first */
  locales: readonly string[];
  /** the order: number, lines, total, its customer or a guest's email (read when sending) */
  orders: Pick<OrdersFacade, 'get'>;
  /** the customer's account email and name (null once erased), read when sending */
  identity: Pick<IdentityFacade, 'customerContact'>;
  /** whether a dispatched order is an exchange's replacement (asked in the consumer's transaction) */
  returns: Pick<ReturnsFacade, 'replacementOrigin' | 'returnOfRefund'>;
  mailer: Mailer;
  renderer: MailRenderer;
  /** the From header (`MAIL_FROM`) */
  from: string;
  /** where customers send returned parcels (`RETURNS_ADDRESS`), quoted in the return-approved mail */
  returnsAddress: string;
  retry: RetrySchedule;
  /** how long a sender holds the notifications it took before another may take them */
  leaseMs: number;
  /** how many notifications one pass of the sender takes */
  batchSize: number;
  /**
   * how long one pass may go on sending (a slow or silent server holds each mail up to its timeout):
   * what is left then is handed back, due at once, and the pass ends — so shutdown is not held up
   */
  passBudgetMs: number;
  logger: NotificationsLogger;
  count: (event: CountedNotificationEvent) => void;
}
