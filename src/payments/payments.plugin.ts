import type { DataSource } from 'typeorm';
import { Payments1763700001100 } from '../../migrations/1763700001100-payments.js';
import { PaymentsCaptureRequests1763700001300 } from '../../migrations/1763700001300-payments-capture-requests.js';
import type { Clock } from '../platform/clock.js';
import { afterCommit } from '../platform/db/after-commit.js';
import { BackgroundWork } from '../platform/db/background-work.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { KeyedBackoff } from '../platform/resilience/retry.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import { paymentsRoutes } from './adapters/http/payments.routes.js';
import { PAYMENTS_ENTITIES } from './adapters/persistence/payments.entity-schemas.js';
import { paymentRepos } from './adapters/persistence/typeorm-payment.repository.js';
import { FakePaymentProvider } from './adapters/providers/fake.payment-provider.js';
import {
  DEFAULT_RESILIENCE,
  type ResilienceObserver,
  type ResilienceOptions,
  ResilientPaymentProvider,
} from './adapters/providers/resilient.payment-provider.js';
import { StripePaymentProvider } from './adapters/providers/stripe.payment-provider.js';
import { CancelPayment } from './application/cancel-payment.use-case.js';
import { CapturePayment } from './application/capture-payment.use-case.js';
import { OpenPayment } from './application/open-payment.use-case.js';
import type { PaymentProvider } from './application/payment-provider.port.js';
import { PaymentViews } from './application/payment-views.query.js';
import type { PaymentsDeps, PaymentsLogger, PaymentsMetrics } from './application/payments.deps.js';
import { paymentEventMapper } from './application/payments-event.mapper.js';
import { ReceiveWebhook } from './application/receive-webhook.use-case.js';
import { RecordAuthorization } from './application/record-authorization.use-case.js';
import { RefundPayment } from './application/refund-payment.use-case.js';
import { RefundViews } from './application/refund-views.query.js';
import { RequestAuthorization } from './application/request-authorization.use-case.js';
import { RequestCapture } from './application/request-capture.use-case.js';
import { RequestRefund } from './application/request-refund.use-case.js';
import { SettleDuePayments } from './application/settle-due-payments.use-case.js';
import { SettlePayment } from './application/settle-payment.use-case.js';
import { VerifyWebhook } from './application/verify-webhook.use-case.js';
import type { PaymentsFacade } from './contract.js';

export { PAYMENTS_ENTITIES } from './adapters/persistence/payments.entity-schemas.js';
export { FakePaymentProvider } from './adapters/providers/fake.payment-provider.js';
export type { ResilienceOptions } from './adapters/providers/resilient.payment-provider.js';
export { StripePaymentProvider } from './adapters/providers/stripe.payment-provider.js';
export type { PaymentProvider } from './application/payment-provider.port.js';

/** How often the payments worker looks for due provider calls, and how long it leaves them to their caller. */
export const DEFAULT_SETTLE_INTERVAL_MS = 5_000;
export const DEFAULT_SETTLE_AFTER_MS = 30_000;
const SETTLE_BATCH = 50;

const quiet: PaymentsLogger = { info: () => {}, warn: () => {}, error: () => {} };
const uncounted: PaymentsMetrics = { operation: () => {}, webhook: () => {} };

export interface PaymentsServices {
  facade: PaymentsFacade;
  /** a webhook's signature checked (before anything is read), then its event applied */
  verifyWebhook: VerifyWebhook;
  receiveWebhook: ReceiveWebhook;
  /** the provider behind timeout, retries and circuit breaker */
  resilient: ResilientPaymentProvider;
  /** one pass of the payments worker */
  settleDue(): Promise<{ settled: string[]; due: string[] }>;
  /** waits for the captures and refunds started after a commit (shutdown, tests) */
  drain(): Promise<void>;
}

/** The use cases and facade of payments over one data source and one provider (one app instance). */
export const createPaymentsServices = (opts: {
  dataSource: DataSource;
  region: string;
  clock: Clock;
  provider: PaymentProvider;
  resilience?: Partial<ResilienceOptions>;
  observer?: ResilienceObserver;
  metrics?: PaymentsMetrics;
  logger?: PaymentsLogger;
  settleAfterMs?: number;
  authorizationChanged?: (orderId: string) => Promise<void>;
  noteOrder?: PaymentsDeps['noteOrder'];
}): PaymentsServices => {
  const resilient = new ResilientPaymentProvider(opts.provider, opts.resilience, opts.observer);
  const logger = opts.logger ?? quiet;
  const deps: PaymentsDeps = {
    uow: new RetryingUnitOfWork(
      new TypeOrmUnitOfWork(opts.dataSource, paymentRepos, paymentEventMapper(opts.region)),
      {
        onRetry: (code, attempt) =>
          logger.warn({ code, attempt }, 'payments transaction lost a race; retrying'),
      },
    ),
    read: new TypeOrmReader(opts.dataSource, paymentRepos),
    providers: {
      defaultProvider: resilient.name,
      get: (name) => (name === resilient.name ? resilient : undefined),
    },
    clock: opts.clock,
    metrics: opts.metrics ?? uncounted,
    logger,
    ...(opts.authorizationChanged ? { authorizationChanged: opts.authorizationChanged } : {}),
    ...(opts.noteOrder ? { noteOrder: opts.noteOrder } : {}),
  };
  const open = new OpenPayment(deps);
  const request = new RequestAuthorization(deps);
  const record = new RecordAuthorization(deps);
  const cancel = new CancelPayment(deps);
  const settle = new SettlePayment(deps);
  const capture = new CapturePayment(deps);
  const refund = new RefundPayment(deps);
  const views = new PaymentViews(deps);
  const refundViews = new RefundViews(deps);
  // a capture or a refund asked for inside a transaction is made once it committed, without the caller
  // waiting; if this attempt fails (or the process dies first) the worker makes it (settleDue)
  const soon = new BackgroundWork();
  const settleAfterCommit =
    (what: string) =>
    (orderId: string, tx: TransactionHandle): void =>
      afterCommit(tx, () =>
        soon.start(
          () => settle.execute(orderId),
          (err) => logger.error({ err, orderId }, `${what} failed; the payments worker retries it`),
        ),
      );
  const requestCapture = new RequestCapture(deps, settleAfterCommit('capturing a payment'));
  const requestRefund = new RequestRefund(deps, settleAfterCommit('making a refund'));
  const due = new SettleDuePayments(deps, settle, {
    settleAfterMs: opts.settleAfterMs ?? DEFAULT_SETTLE_AFTER_MS,
    batch: SETTLE_BATCH,
    backoff: new KeyedBackoff<string>({ baseDelayMs: 5_000, maxDelayMs: 300_000 }),
  });
  const facade: PaymentsFacade = {
    open: (input, tx) => open.execute(input, tx),
    requestAuthorization: (orderId) => request.execute(orderId),
    recordAuthorization: (outcome, tx) => record.execute(outcome, tx),
    cancel: (orderId, reason, tx) => cancel.execute(orderId, reason, tx),
    settle: async (orderId) => (await settle.execute(orderId)).view,
    capture: (orderId) => capture.execute(orderId),
    requestCapture: (orderId, tx) => requestCapture.execute(orderId, tx),
    refund: (orderId, input, steps) => refund.execute(orderId, input, steps),
    viewsOf: (orderIds, tx) => views.execute(orderIds, tx),
    requestRefund: (orderId, input, tx) => requestRefund.execute(orderId, input, tx),
    refundsOf: (refundIds, tx) => refundViews.execute(refundIds, tx),
  };
  return {
    facade,
    verifyWebhook: new VerifyWebhook(deps),
    receiveWebhook: new ReceiveWebhook(deps),
    resilient,
    settleDue: () => due.execute(),
    drain: () => soon.drain(),
  };
};

export interface PaymentsModule extends ContextModule<PaymentsFacade> {
  /** the provider as configured, without the resilience: the built-in fake unless one was injected */
  readonly provider: PaymentProvider;
  readonly services: PaymentsServices;
}

export interface PaymentsDependencies {
  /**
   * The provider (unwrapped; the module adds timeout, retries and breaker). Default: a new
   * FakePaymentProvider from FAKE_PSP_WEBHOOK_SECRET and FAKE_PSP_OUTAGE. Tests inject one instance
   * into several runtimes to play one external provider that outlives them.
   */
  provider?: PaymentProvider;
  resilience?: Partial<ResilienceOptions>;
  /** payments worker: interval between passes, and how long due calls are left to their caller (ms) */
  settleIntervalMs?: number;
  settleAfterMs?: number;
  /**
   * An authorization that waited for the customer (3-D Secure) went on, announced by the provider's
   * webhook: completes the order's checkout (bound late to checkout in src/contexts.ts).
   */
  authorizationChanged?: (orderId: string) => Promise<void>;
  /** a note on the order inside the webhook's transaction (a dispute); bound late to orders in src/contexts.ts */
  noteOrder?: PaymentsDeps['noteOrder'];
}

/** The payments context (composition root): payments, ledger, provider port and resilience, webhooks, worker. */
export const paymentsContext = defineContext({
  name: 'payments',
  entities: PAYMENTS_ENTITIES,
  migrations: [Payments1763700001100, PaymentsCaptureRequests1763700001300],
  create: (platform: Platform, deps: PaymentsDependencies = {}): PaymentsModule => {
    const { logger, metrics, config } = platform;
    const operations = metrics.counter({
      name: 'payment_operations_total',
      help: 'Payment provider operations the payments use cases made, by operation (authorize, capture, void, refund) and result (succeeded, declined, rejected, unavailable, action_required)',
      labelNames: ['operation', 'result'],
    });
    const duration = metrics.histogram({
      name: 'payment_provider_call_duration_seconds',
      help: 'One attempt at the payment provider, by operation and outcome (success, declined, unavailable, timeout)',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10],
    });
    const circuit = metrics.gauge({
      name: 'payment_provider_circuit_state',
      help: 'Circuit breaker in front of the payment provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
    });
    const disputes = metrics.counter({
      name: 'payment_disputes_total',
      help: 'Disputes (chargebacks) the payment provider announced, by provider: each one needs an answer at the provider',
      labelNames: ['provider'],
    });
    const webhooksCounted = metrics.counter({
      name: 'payment_webhooks_total',
      help: 'Payment provider webhooks by provider and outcome (applied, duplicate, ignored, unauthenticated, malformed)',
      labelNames: ['provider', 'outcome'],
    });

    const resilience = { ...DEFAULT_RESILIENCE, ...deps.resilience };
    const provider: PaymentProvider =
      deps.provider ??
      (config.PAYMENT_PROVIDER === 'stripe'
        ? new StripePaymentProvider({
            // both required with PAYMENT_PROVIDER=stripe (config.ts refuses to start without them)
            secretKey: config.STRIPE_SECRET_KEY ?? '',
            webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
            apiUrl: config.STRIPE_API_URL,
            // a backstop under the resilient wrapper's per-attempt timeout, which answers the caller
            socketTimeoutMs: resilience.timeoutMs * 2,
          })
        : new FakePaymentProvider({
            webhookSecret: config.FAKE_PSP_WEBHOOK_SECRET,
            outage: config.FAKE_PSP_OUTAGE,
          }));
    const services = createPaymentsServices({
      dataSource: platform.dataSource,
      region: platform.region.code,
      clock: platform.clock,
      provider,
      ...(deps.resilience ? { resilience: deps.resilience } : {}),
      observer: {
        attempt: (operation, outcome, seconds) => duration.observe({ operation, outcome }, seconds),
        circuit: (state) =>
          circuit.set({ provider: provider.name }, state === 'closed' ? 0 : state === 'half_open' ? 1 : 2),
      },
      metrics: {
        operation: (operation, result) => operations.inc({ operation, result }),
        webhook: (name, outcome) => webhooksCounted.inc({ provider: name, outcome }),
        dispute: (name) => disputes.inc({ provider: name }),
      },
      logger,
      settleAfterMs: deps.settleAfterMs ?? DEFAULT_SETTLE_AFTER_MS,
      ...(deps.authorizationChanged ? { authorizationChanged: deps.authorizationChanged } : {}),
      ...(deps.noteOrder ? { noteOrder: deps.noteOrder } : {}),
    });
    if (config.FAKE_PSP_OUTAGE && provider instanceof FakePaymentProvider) {
      logger.warn('FAKE_PSP_OUTAGE is set: the fake payment provider fails every call as unavailable');
    }

    const worker = periodicTask(
      'payments settlement',
      deps.settleIntervalMs ?? DEFAULT_SETTLE_INTERVAL_MS,
      async () => {
        const { settled, due } = await services.settleDue();
        if (settled.length > 0) logger.info({ count: settled.length, orderIds: settled }, 'settled payments');
        if (due.length > 0) logger.warn({ count: due.length }, 'payments still have provider calls due');
      },
      logger,
    );

    return {
      name: 'payments',
      facade: services.facade,
      provider,
      services,
      routes: async (app, { guards }) => {
        await app.register(paymentsRoutes, {
          verifyWebhook: services.verifyWebhook,
          receiveWebhook: services.receiveWebhook,
          guards,
        });
      },
      tasks: [worker],
      close: () => services.drain(),
    };
  },
});
