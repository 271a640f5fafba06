import { randomUUID } from 'node:crypto';
import { FakePaymentProvider } from '../../../src/payments/adapters/providers/fake.payment-provider.js';
import { CapturePayment } from '../../../src/payments/application/capture-payment.use-case.js';
import { OpenPayment } from '../../../src/payments/application/open-payment.use-case.js';
import type {
  PaymentRepos,
  PaymentRepository,
  RefundRecord,
  WebhookEventLog,
} from '../../../src/payments/application/payment.repository.js';
import type { PaymentProvider } from '../../../src/payments/application/payment-provider.port.js';
import type {
  PaymentOperationName,
  PaymentOperationResult,
  PaymentsDeps,
  WebhookCount,
} from '../../../src/payments/application/payments.deps.js';
import { paymentEventMapper } from '../../../src/payments/application/payments-event.mapper.js';
import { RecordAuthorization } from '../../../src/payments/application/record-authorization.use-case.js';
import { RequestAuthorization } from '../../../src/payments/application/request-authorization.use-case.js';
import { RequestRefund } from '../../../src/payments/application/request-refund.use-case.js';
import type { RefundRequest } from '../../../src/payments/contract.js';
import { Payment, type PaymentProps } from '../../../src/payments/domain/payment.aggregate.js';
import type { LedgerEntry } from '../../../src/payments/domain/payment-ledger.entity.js';
import type { RefundProps } from '../../../src/payments/domain/refund.entity.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';

type PaymentRow = Omit<PaymentProps, 'refunds'>;

/**
 * Payments in memory, as the Postgres repository keeps them: a row per payment (one per order), its
 * refunds, and the ledger rows appended (an entry id written already is kept). Every read restores a
 * new aggregate from the stored rows, so a use case only sees what was saved. No locks: use-case
 * tests run one thing at a time.
 */
export class InMemoryPaymentRepository implements PaymentRepository {
  readonly rows = new Map<string, PaymentRow>();
  readonly refunds = new Map<string, RefundProps[]>();
  readonly ledger: LedgerEntry[] = [];
  /** how many times `save` wrote a payment */
  saves = 0;

  async findByOrder(orderId: string): Promise<Payment | null> {
    return this.where((r) => r.orderId === orderId)[0] ?? null;
  }
  lockByOrder(orderId: string): Promise<Payment | null> {
    return this.findByOrder(orderId);
  }
  async lockById(paymentId: string): Promise<Payment | null> {
    return this.where((r) => r.id === paymentId)[0] ?? null;
  }
  async lockByProviderRef(provider: string, reference: string): Promise<Payment | null> {
    return this.where((r) => r.provider === provider && r.providerRef === reference)[0] ?? null;
  }

  async insert(payment: Payment): Promise<boolean> {
    if ([...this.rows.values()].some((r) => r.orderId === payment.orderId)) return false;
    const { refunds: _refunds, ...row } = payment.snapshot();
    this.rows.set(payment.id, row);
    this.writeChanges(payment);
    return true;
  }

  async save(payment: Payment): Promise<void> {
    const stored = this.rows.get(payment.id);
    if (!stored) throw new Error(`payment ${payment.id} vanished`);
    const { refunds: _refunds, ...row } = payment.snapshot();
    this.rows.set(payment.id, { ...row, version: stored.version + 1 });
    this.writeChanges(payment);
    payment.saved();
    this.saves += 1;
  }

  async listByOrders(orderIds: readonly string[]): Promise<Payment[]> {
    return this.where((r) => orderIds.includes(r.orderId));
  }

  async dueForSettlement(before: Date, limit: number): Promise<string[]> {
    const due = [...this.rows.values()].filter(
      (r) =>
        r.updatedAt < before &&
        (r.status === 'VOID_PENDING' ||
          (r.status === 'AUTHORIZED' && r.captureRequestedAt !== null) ||
          (this.refunds.get(r.id) ?? []).some((x) => x.status === 'pending')),
    );
    return due
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((r) => r.orderId);
  }

  async findRefunds(refundIds: readonly string[]): Promise<RefundRecord[]> {
    const found: RefundRecord[] = [];
    for (const [paymentId, refunds] of this.refunds) {
      const payment = this.rows.get(paymentId)!;
      for (const refund of refunds.filter((r) => refundIds.includes(r.id))) {
        // as the Postgres repository reads it: the newest ledger row of the refund's calls that did not succeed
        const failed = this.ledger.filter(
          (e) => e.kind === 'refund' && e.idempotencyKey === refund.id && e.outcome !== 'succeeded',
        );
        const last = failed.at(-1);
        found.push({
          refund: { ...refund },
          paymentId,
          orderId: payment.orderId,
          currency: payment.currency,
          lastFailure:
            last && last.outcome !== 'succeeded' ? { outcome: last.outcome, reason: last.reason } : null,
        });
      }
    }
    return found;
  }

  /** The stored payment of the order (a new aggregate), or a failure when there is none. */
  async of(orderId: string): Promise<Payment> {
    const payment = await this.findByOrder(orderId);
    if (!payment) throw new Error(`no payment of order ${orderId}`);
    return payment;
  }

  private where(match: (row: PaymentRow) => boolean): Payment[] {
    return [...this.rows.values()]
      .filter(match)
      .map((row) =>
        Payment.restore({ ...row, refunds: (this.refunds.get(row.id) ?? []).map((r) => ({ ...r })) }),
      );
  }

  private writeChanges(payment: Payment): void {
    const { ledger, refunds } = payment.takeChanges();
    const stored = this.refunds.get(payment.id) ?? [];
    for (const refund of refunds) {
      const i = stored.findIndex((r) => r.id === refund.id);
      if (i === -1) stored.push({ ...refund });
      else
        stored[i] = {
          ...stored[i]!,
          status: refund.status,
          providerRef: refund.providerRef,
          settledAt: refund.settledAt,
        };
    }
    this.refunds.set(payment.id, stored);
    for (const entry of ledger) {
      if (!this.ledger.some((e) => e.id === entry.id)) this.ledger.push(entry);
    }
  }
}

/** Webhook events received, by provider and event id, with what they came to. */
export class InMemoryWebhookEventLog implements WebhookEventLog {
  readonly events = new Map<string, { type: string; outcome: string; paymentId: string | null; at: Date }>();

  async claim(provider: string, eventId: string, type: string, at: Date): Promise<boolean> {
    const key = `${provider}:${eventId}`;
    if (this.events.has(key)) return false;
    this.events.set(key, { type, outcome: 'received', paymentId: null, at });
    return true;
  }

  async settle(provider: string, eventId: string, outcome: string, paymentId: string | null): Promise<void> {
    const key = `${provider}:${eventId}`;
    const event = this.events.get(key);
    if (event) this.events.set(key, { ...event, outcome, paymentId });
  }
}

export interface InMemoryPaymentRepos extends PaymentRepos {
  payments: InMemoryPaymentRepository;
  webhooks: InMemoryWebhookEventLog;
}

export const inMemoryPaymentRepos = (): InMemoryPaymentRepos => ({
  payments: new InMemoryPaymentRepository(),
  webhooks: new InMemoryWebhookEventLog(),
});

export const TEST_WEBHOOK_SECRET = 'unit-test-webhook-secret';

/**
 * Everything a payments use case needs, in memory: the repositories, one unit of work (writes and
 * reads; its `events` are the integration events "committed"), a manual clock, the shipped fake
 * provider (a real adapter behind the port; `provider` to use another one), and the counts and logs
 * the use cases make.
 */
export const paymentsTestKit = (opts: { provider?: PaymentProvider; clock?: ManualClock } = {}) => {
  const clock = opts.clock ?? new ManualClock('2026-03-01T12:00:00Z');
  const fake = new FakePaymentProvider({ webhookSecret: TEST_WEBHOOK_SECRET, now: () => clock.now() });
  const provider = opts.provider ?? fake;
  const repos = inMemoryPaymentRepos();
  const uow = new InMemoryUnitOfWork<PaymentRepos>(repos, paymentEventMapper('eu'));
  const operations: `${PaymentOperationName}:${PaymentOperationResult}`[] = [];
  const webhooks: `${string}:${WebhookCount}`[] = [];
  const logs: { level: 'info' | 'warn' | 'error'; msg: string }[] = [];
  const deps: PaymentsDeps = {
    uow,
    read: uow,
    providers: {
      defaultProvider: provider.name,
      get: (name) => (name === provider.name ? provider : undefined),
    },
    clock,
    metrics: {
      operation: (operation, result) => operations.push(`${operation}:${result}`),
      webhook: (name, outcome) => webhooks.push(`${name}:${outcome}`),
    },
    logger: {
      info: (_obj, msg) => logs.push({ level: 'info', msg }),
      warn: (_obj, msg) => logs.push({ level: 'warn', msg }),
      error: (_obj, msg) => logs.push({ level: 'error', msg }),
    },
  };
  return { deps, repos, uow, clock, fake, provider, operations, webhooks, logs };
};

export type PaymentsTestKit = ReturnType<typeof paymentsTestKit>;

/** A payment of an order, as far as the test needs it, reached through the use cases themselves. */
export interface GivenPayment {
  orderId?: string;
  amount?: number;
  token?: string;
}

/** Opens a new order's payment in a transaction of its own (checkout step 1); the order's id. */
export const givenOpened = async (kit: PaymentsTestKit, p: GivenPayment = {}): Promise<string> => {
  const orderId = p.orderId ?? randomUUID();
  await kit.uow.run(({ tx }) =>
    new OpenPayment(kit.deps).execute(
      { orderId, amount: p.amount ?? 10_000, currency: 'EUR', token: p.token ?? 'tok_visa' },
      tx,
    ),
  );
  return orderId;
};

/** Opens a payment and records its authorization at the fake provider (checkout steps 1–3). */
export const givenAuthorized = async (kit: PaymentsTestKit, p: GivenPayment = {}): Promise<string> => {
  const orderId = await givenOpened(kit, p);
  const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
  if (outcome.result !== 'authorized') throw new Error(`the fake provider answered ${outcome.result}`);
  await kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(outcome, tx));
  return orderId;
};

/** An authorized payment captured in full at the fake provider. */
export const givenCaptured = async (kit: PaymentsTestKit, p: GivenPayment = {}): Promise<string> => {
  const orderId = await givenAuthorized(kit, p);
  await new CapturePayment(kit.deps).execute(orderId);
  return orderId;
};

/**
 * Asks for a refund of the order's payment in a transaction of its own, as returns does at a receipt
 * (`requestRefund`); the provider call it schedules is not made (settle the order to make it).
 */
export const givenRefundRequested = (
  kit: PaymentsTestKit,
  orderId: string,
  r: { refundId?: string; amount: number; reason?: string },
): Promise<RefundRequest> =>
  kit.uow.run(({ tx }) =>
    new RequestRefund(kit.deps, () => {}).execute(
      orderId,
      { refundId: r.refundId ?? randomUUID(), amount: r.amount, reason: r.reason ?? 'return EU-000001-R1' },
      tx,
    ),
  );

/** Forgets what the kit counted so far (events, provider calls, metrics, logs), to look at what comes next. */
export const resetCounts = (kit: PaymentsTestKit): void => {
  kit.uow.events.length = 0;
  kit.operations.length = 0;
  kit.webhooks.length = 0;
  kit.logs.length = 0;
  for (const op of Object.keys(kit.fake.calls) as (keyof typeof kit.fake.calls)[]) kit.fake.calls[op] = 0;
};

/** A webhook signed as the fake provider sends it (body, headers, event). */
export type SignedWebhook = ReturnType<FakePaymentProvider['signWebhook']>;
/** The fake provider's signature of a body under a key (to forge one under the wrong key). */
export { fakeWebhookSignature } from '../../../src/payments/adapters/providers/fake-webhook.format.js';
