import { randomUUID } from 'node:crypto';
import { EtaMailRenderer } from '../../../src/notifications/adapters/templates/eta.mail-renderer.js';
import {
  type Mailer,
  MailerError,
  type OutgoingMail,
} from '../../../src/notifications/application/mailer.port.js';
import type { NotificationsRepos } from '../../../src/notifications/application/notification.repository.js';
import type {
  CountedNotificationEvent,
  NotificationsDeps,
} from '../../../src/notifications/application/notifications.deps.js';
import type { OrderSnapshot } from '../../../src/orders/contract.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import type { ReplacementOrigin } from '../../../src/returns/contract.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import {
  type InMemoryNotificationRepository,
  inMemoryNotificationsRepos,
} from './notifications.repositories.js';

/** A mailer that records what it was given, or refuses while `down` is set (the SMTP reply). */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  readonly tried: OutgoingMail[] = [];
  down: string | null = null;

  async send(mail: OutgoingMail): Promise<void> {
    this.tried.push(mail);
    if (this.down) throw new MailerError(this.down);
    this.sent.push(mail);
  }
}

export interface InMemoryNotifications {
  deps: NotificationsDeps;
  repos: NotificationsRepos & { notifications: InMemoryNotificationRepository };
  uow: InMemoryUnitOfWork<NotificationsRepos>;
  clock: ManualClock;
  mailer: RecordingMailer;
  /** the orders `orders.get` answers */
  orders: Map<string, OrderSnapshot>;
  /** the customers' contacts `identity.customerContact` answers (absent: erased or unknown) */
  contacts: Map<string, { email: string; name: string }>;
  /** the exchanges' replacement orders `returns.replacementOrigin` answers (absent: an ordinary order) */
  replacements: Map<string, ReplacementOrigin>;
  /** every `returns.replacementOrigin` call: the order and the transaction it was asked on */
  originAsked: { orderId: string; tx: TransactionHandle | undefined }[];
  /** refunds returns made, by refund id */
  returnRefunds: Map<string, ReplacementOrigin & { exchange: boolean }>;
  refundAsked: { refundId: string; tx: TransactionHandle | undefined }[];
  counted: CountedNotificationEvent[];
  logged: string[];
}

/** The notifications use cases' deps in memory: region `eu` (en, de, fr), the real eta templates. */
export const inMemoryNotifications = (over: Partial<NotificationsDeps> = {}): InMemoryNotifications => {
  const repos = inMemoryNotificationsRepos();
  const uow = new InMemoryUnitOfWork<NotificationsRepos>(repos);
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const mailer = new RecordingMailer();
  const orders = new Map<string, OrderSnapshot>();
  const contacts = new Map<string, { email: string; name: string }>();
  const replacements = new Map<string, ReplacementOrigin>();
  const originAsked: InMemoryNotifications['originAsked'] = [];
  const returnRefunds = new Map<string, ReplacementOrigin & { exchange: boolean }>();
  const refundAsked: InMemoryNotifications['refundAsked'] = [];
  const counted: CountedNotificationEvent[] = [];
  const logged: string[] = [];
  const deps: NotificationsDeps = {
    uow,
    read: new InMemoryUnitOfWork<NotificationsRepos>(repos),
    clock,
    locales: ['en', 'de', 'fr'],
    orders: { get: async (id) => orders.get(id) ?? null },
    identity: { customerContact: async (id) => contacts.get(id) ?? null },
    returns: {
      replacementOrigin: async (orderId, tx) => {
        originAsked.push({ orderId, tx });
        return replacements.get(orderId) ?? null;
      },
      returnOfRefund: async (refundId, tx) => {
        refundAsked.push({ refundId, tx });
        return returnRefunds.get(refundId) ?? null;
      },
    },
    mailer,
    renderer: new EtaMailRenderer(),
    from: 'Shop <shop@example.com>',
    returnsAddress: 'Shop Returns, 1 Dock Road, 10115 Berlin',
    retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000 },
    leaseMs: 60_000,
    batchSize: 10,
    passBudgetMs: 5_000,
    logger: {
      info: (_o, msg) => logged.push(`info: ${msg}`),
      warn: (_o, msg) => logged.push(`warn: ${msg}`),
      error: (_o, msg) => logged.push(`error: ${msg}`),
    },
    count: (event) => counted.push(event),
    ...over,
  };
  return {
    deps,
    repos,
    uow,
    clock,
    mailer,
    orders,
    contacts,
    replacements,
    originAsked,
    returnRefunds,
    refundAsked,
    counted,
    logged,
  };
};

/** A confirmed order (EUR, one line) of a customer, or of a guest when `customerId` is null. */
export const anOrder = (over: Partial<OrderSnapshot> = {}): OrderSnapshot => {
  const at = new Date('2026-03-01T09:00:00Z');
  return {
    id: randomUUID(),
    number: 'EU-000042',
    status: 'CONFIRMED',
    cartId: randomUUID(),
    customerId: randomUUID(),
    email: 'ada@example.com',
    currency: 'EUR',
    taxMode: 'inclusive',
    lines: [
      {
        sku: 'MUG-1',
        name: 'Blue mug',
        quantity: 2,
        unitPrice: 1250,
        subtotal: 2500,
        discount: 0,
        lineTotal: 2500,
        tax: 399,
      },
    ],
    subtotal: 2500,
    discount: 0,
    shipping: 490,
    tax: 399,
    total: 2990,
    promotionCode: null,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical St',
      city: 'London',
      postalCode: 'N1 9GU',
      country: 'GB',
    },
    shippingOption: { code: 'standard', name: 'Standard' },
    history: [],
    notes: [],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
};
