import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Notifications1763700001800 } from '../../migrations/1763700001800-notifications.js';
import { NotificationsReturnTemplates1763700001850 } from '../../migrations/1763700001850-notifications-return-templates.js';
import type { IdentityFacade } from '../identity/contract.js';
import type { OrdersFacade } from '../orders/contract.js';
import type { Clock } from '../platform/clock.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import type { ReturnsFacade } from '../returns/contract.js';
import { notificationsRoutes } from './adapters/http/notifications.routes.js';
import { NodemailerMailer, smtpSettings } from './adapters/mail/nodemailer.mailer.js';
import { StoredMailer } from './adapters/mail/stored.mailer.js';
import { notificationsRegistrations } from './adapters/messaging/notifications.consumers.js';
import { NOTIFICATIONS_ENTITIES } from './adapters/persistence/notifications.entity-schemas.js';
import { notificationsRepos } from './adapters/persistence/typeorm-notification.repository.js';
import { EtaMailRenderer } from './adapters/templates/eta.mail-renderer.js';
import { EraseCustomerNotifications } from './application/erase-customer-notifications.use-case.js';
import { GetNotification } from './application/get-notification.query.js';
import { ListNotifications } from './application/list-notifications.query.js';
import type { MailRenderer } from './application/mail-renderer.port.js';
import type { Mailer } from './application/mailer.port.js';
import type {
  CountedNotificationEvent,
  NotificationsDeps,
  NotificationsLogger,
} from './application/notifications.deps.js';
import { QueueNotification } from './application/queue-notification.use-case.js';
import { QueueRefundNotification } from './application/queue-refund-notification.use-case.js';
import { QueueShipmentNotification } from './application/queue-shipment-notification.use-case.js';
import { ResendNotification } from './application/resend-notification.use-case.js';
import { SendDueNotifications } from './application/send-due-notifications.use-case.js';
import type { NotificationsFacade } from './contract.js';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './domain/notification-retry.policy.js';

export { StoredMailer } from './adapters/mail/stored.mailer.js';
export { NOTIFICATIONS_ENTITIES } from './adapters/persistence/notifications.entity-schemas.js';
export type { Mailer } from './application/mailer.port.js';

export interface NotificationsServices {
  facade: NotificationsFacade;
  queue: QueueNotification;
  queueShipment: QueueShipmentNotification;
  queueRefund: QueueRefundNotification;
  erase: EraseCustomerNotifications;
  sendDue: SendDueNotifications;
  resend: ResendNotification;
  list: ListNotifications;
  get: GetNotification;
}

const quiet: NotificationsLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The use cases, queries and facade of notifications over one data source (one app instance). */
export const createNotificationsServices = (opts: {
  dataSource: DataSource;
  clock: Clock;
  locales: readonly string[];
  orders: Pick<OrdersFacade, 'get'>;
  identity: Pick<IdentityFacade, 'customerContact'>;
  returns: Pick<ReturnsFacade, 'replacementOrigin' | 'returnOfRefund'>;
  mailer: Mailer;
  renderer?: MailRenderer;
  from: string;
  returnsAddress: string;
  retry?: Partial<RetrySchedule>;
  leaseMs?: number;
  batchSize?: number;
  passBudgetMs?: number;
  logger?: NotificationsLogger;
  count?: (event: CountedNotificationEvent) => void;
}): NotificationsServices => {
  const deps: NotificationsDeps = {
    // notifications publish no events: their unit of work maps none
    uow: new TypeOrmUnitOfWork(opts.dataSource, notificationsRepos),
    read: new TypeOrmReader(opts.dataSource, notificationsRepos),
    clock: opts.clock,
    locales: opts.locales,
    orders: opts.orders,
    identity: opts.identity,
    returns: opts.returns,
    mailer: opts.mailer,
    renderer: opts.renderer ?? new EtaMailRenderer(),
    from: opts.from,
    returnsAddress: opts.returnsAddress,
    retry: { ...DEFAULT_RETRY_SCHEDULE, ...opts.retry },
    leaseMs: opts.leaseMs ?? 120_000,
    batchSize: opts.batchSize ?? 20,
    passBudgetMs: opts.passBudgetMs ?? 5_000,
    logger: opts.logger ?? quiet,
    count: opts.count ?? (() => {}),
  };
  const list = new ListNotifications(deps);
  const facade: NotificationsFacade = {
    ofOrder: async (orderId) =>
      (await list.execute({ orderId }, 100, null)).items.map((n) => ({
        id: n.id,
        template: n.template,
        status: n.status,
        sentAt: n.sentAt ? new Date(n.sentAt) : null,
        createdAt: new Date(n.createdAt),
      })),
  };
  return {
    facade,
    queue: new QueueNotification(deps),
    queueShipment: new QueueShipmentNotification(deps),
    queueRefund: new QueueRefundNotification(deps),
    erase: new EraseCustomerNotifications(deps),
    sendDue: new SendDueNotifications(deps),
    resend: new ResendNotification(deps),
    list,
    get: new GetNotification(deps),
  };
};

const COUNTED: readonly CountedNotificationEvent[] = ['sent', 'retried', 'failed'];

/** `notifications_total{event}`: mails sent, attempts that will be retried, notifications failed. */
const notificationsCounter = (metrics: Platform['metrics']): Counter<'event'> =>
  metrics.eventCounter(
    'notifications_total',
    'Customer emails sent, send attempts that failed and will be retried, and notifications that failed for good',
    COUNTED,
  );

export interface NotificationsModule extends ContextModule<NotificationsFacade> {
  readonly services: NotificationsServices;
  /** the mailer as configured: nodemailer over SMTP with `SMTP_URL`, else the stored-mail adapter */
  readonly mailer: Mailer;
}

export interface NotificationsDependencies {
  orders: Pick<OrdersFacade, 'get'>;
  identity: Pick<IdentityFacade, 'customerContact'>;
  /** whether a dispatched order is an exchange's replacement (its dispatch mail names the return) */
  returns: Pick<ReturnsFacade, 'replacementOrigin' | 'returnOfRefund'>;
  /** replaces the mailer chosen from the configuration (tests) */
  mailer?: Mailer;
  /** the sender's pace (default every second) and backoff (default 6 attempts from 30 s) */
  sendIntervalMs?: number;
  retry?: Partial<RetrySchedule>;
}

/**
 * The notifications context (composition root): customer emails from the events of orders, fulfilment,
 * payments and returns — queued by consumers, sent by a periodic task through the `Mailer` port.
 */
export const notificationsContext = defineContext({
  name: 'notifications',
  entities: NOTIFICATIONS_ENTITIES,
  migrations: [Notifications1763700001800, NotificationsReturnTemplates1763700001850],
  create: (platform: Platform, deps: NotificationsDependencies): NotificationsModule => {
    const counter = notificationsCounter(platform.metrics);
    const logger = platform.logger.child({ component: 'notifications' });
    const { SMTP_URL, MAIL_FROM, RETURNS_ADDRESS } = platform.config;
    const mailer: Mailer =
      deps.mailer ?? (SMTP_URL ? new NodemailerMailer(smtpSettings(SMTP_URL)) : new StoredMailer());
    const services = createNotificationsServices({
      dataSource: platform.dataSource,
      clock: platform.clock,
      locales: platform.region.locales,
      orders: deps.orders,
      identity: deps.identity,
      returns: deps.returns,
      mailer,
      from: MAIL_FROM,
      returnsAddress: RETURNS_ADDRESS,
      ...(deps.retry ? { retry: deps.retry } : {}),
      logger,
      count: (event) => counter.inc({ event }),
    });
    return {
      name: 'notifications',
      facade: services.facade,
      services,
      mailer,
      routes: async (app, { guards }) => {
        await app.register(notificationsRoutes, {
          listNotifications: services.list,
          getNotification: services.get,
          resendNotification: services.resend,
          guards,
        });
      },
      consumers: notificationsRegistrations(services),
      tasks: [
        periodicTask(
          'notification sender',
          deps.sendIntervalMs ?? 1_000,
          async () => {
            await services.sendDue.execute();
          },
          logger,
        ),
      ],
      close: async () => {
        await mailer.close?.();
      },
    };
  },
});
