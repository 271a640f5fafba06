import type { Clock } from '../../platform/clock.js';
import type { TransactionHandle, UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { PaymentRepos } from './payment.repository.js';
import type { PaymentProvider } from './payment-provider.port.js';

export interface PaymentsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type PaymentOperationName = 'authorize' | 'capture' | 'void' | 'refund';
/**
 * succeeded; declined (authorization refused); rejected (a provider rule refused it); unavailable;
 * action_required (the provider waits for the customer: 3-D Secure)
 */
export type PaymentOperationResult =
  | 'succeeded'
  | 'declined'
  | 'rejected'
  | 'unavailable'
  | 'action_required';

/** applied / duplicate / ignored (received), or refused: unauthenticated (signature), malformed */
export type WebhookCount = 'applied' | 'duplicate' | 'ignored' | 'unauthenticated' | 'malformed';

/**
 * What the use cases count, wired in payments.plugin.ts: `payment_operations_total{operation, result}`
 * (one per provider call a use case made) and `payment_webhooks_total{provider, outcome}`.
 */
export interface PaymentsMetrics {
  operation(operation: PaymentOperationName, result: PaymentOperationResult): void;
  webhook(provider: string, outcome: WebhookCount): void;
  /** a dispute (chargeback) the provider announced: `payment_disputes_total{provider}` */
  dispute?(provider: string): void;
}

/** The providers payments can use, by name; new payments go to `defaultProvider`. */
export interface PaymentProviders {
  readonly defaultProvider: string;
  get(name: string): PaymentProvider | undefined;
}

/** Everything the payments use cases need, wired in payments.plugin.ts. */
export interface PaymentsDeps {
  /** transactions of payments (own ones retried on deadlock / serialization failure; `join` runs in the caller's) */
  uow: UnitOfWork<PaymentRepos>;
  /** reads outside a transaction, or on the caller's (`join`) */
  read: UnitOfWork<PaymentRepos>;
  /** each wrapped in timeout, retries and circuit breaker */
  providers: PaymentProviders;
  clock: Clock;
  metrics: PaymentsMetrics;
  logger: PaymentsLogger;
  /**
   * An authorization that waited for the customer went on (the provider's webhook): the order's
   * checkout is completed (bound late to checkout in src/contexts.ts); a failure is left to the
   * pending-payment worker. Absent: the worker completes it.
   */
  authorizationChanged?: (orderId: string) => Promise<void>;
  /**
   * Adds a note to the order inside the webhook's transaction (bound late to orders in
   * src/contexts.ts): news of the payment that moves nothing, such as a dispute. Absent: logged only.
   */
  noteOrder?: (orderId: string, text: string, tx: TransactionHandle) => Promise<void>;
}
