import type { CartFacade } from '../cart/contract.js';
import type { CatalogFacade } from '../catalog/contract.js';
import type { FulfilmentFacade } from '../fulfilment/contract.js';
import type { IdentityFacade } from '../identity/contract.js';
import type { InventoryOrderFacade } from '../inventory/contract.js';
import type { OrdersFacade } from '../orders/contract.js';
import type { PaymentsFacade } from '../payments/contract.js';
import { afterCommit } from '../platform/db/after-commit.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import type { PricingFacade } from '../pricing/contract.js';
import { checkoutRoutes } from './adapters/http/checkout.routes.js';
import { checkoutRegistrations } from './adapters/messaging/checkout.consumers.js';
import { CancelOrder } from './application/cancel-order.use-case.js';
import type { CheckoutDeps } from './application/checkout.deps.js';
import { CompletePayment } from './application/complete-payment.use-case.js';
import { ExpireUnpaidOrder } from './application/expire-order.use-case.js';
import { FollowShipments } from './application/follow-shipments.use-case.js';
import { NoteCapture } from './application/note-capture.use-case.js';
import { PlaceOrder } from './application/place-order.use-case.js';
import { RefundOrder } from './application/refund-order.use-case.js';
import {
  DEFAULT_PENDING_PAYMENT_OPTIONS,
  type PendingPaymentOptions,
  RetryPendingPayments,
} from './application/retry-pending-payments.use-case.js';
import type { CheckoutFacade } from './contract.js';

export type CheckoutModule = ContextModule<CheckoutFacade>;

export interface CheckoutDependencies {
  cart: CartFacade;
  catalog: CatalogFacade;
  pricing: PricingFacade;
  inventory: InventoryOrderFacade;
  orders: OrdersFacade;
  payments: PaymentsFacade;
  identity: IdentityFacade;
  fulfilment: FulfilmentFacade;
  /** the pending-payment worker: how often it looks (default every 2 s) and how it backs off */
  pendingPayments?: Partial<PendingPaymentOptions> & { intervalMs?: number };
}

export interface CheckoutServices {
  facade: CheckoutFacade;
  placeOrder: PlaceOrder;
  cancelOrder: CancelOrder;
  refundOrder: RefundOrder;
  retryPendingPayments: RetryPendingPayments;
  expire: ExpireUnpaidOrder;
  follow: FollowShipments;
  noteCapture: NoteCapture;
}

/** The use cases and facade of checkout over its deps (the other contexts' facades), as every plugin builds them. */
export const createCheckoutServices = (
  deps: CheckoutDeps,
  pendingPayments?: Partial<PendingPaymentOptions>,
): CheckoutServices => {
  const placeOrder = new PlaceOrder(deps);
  const retryPendingPayments = new RetryPendingPayments(deps, {
    ...DEFAULT_PENDING_PAYMENT_OPTIONS,
    ...pendingPayments,
  });
  const completePayment = new CompletePayment(deps);
  const facade: CheckoutFacade = {
    placeOrder: (request, checkpoint) => placeOrder.execute(request, checkpoint),
    retryPendingPayments: () => retryPendingPayments.execute(),
    completePayment: async (orderId) => {
      await completePayment.execute(orderId);
    },
  };
  return {
    facade,
    placeOrder,
    cancelOrder: new CancelOrder(deps),
    refundOrder: new RefundOrder(deps),
    retryPendingPayments,
    expire: new ExpireUnpaidOrder(deps),
    follow: new FollowShipments(deps),
    noteCapture: new NoteCapture(deps),
  };
};

/**
 * The checkout saga (docs/product/spec.md) as a context of its own: it owns no tables and reaches the others only
 * through their facades — placing an order, cancelling it, refunding it, completing orders whose
 * payment was left pending, cancelling orders whose reservation expired, and (step 6) following the
 * order's shipments: capture and SHIPPED at the first dispatch, DELIVERED once all are delivered.
 */
export const checkoutContext = defineContext({
  name: 'checkout',
  entities: [],
  migrations: [],
  create: (platform: Platform, others: CheckoutDependencies): CheckoutModule => {
    const logger = platform.logger.child({ component: 'checkout' });
    const outcomes = platform.metrics.counter({
      name: 'checkout_outcomes_total',
      help: 'Checkout saga outcomes: placed, confirmed, pending, declined, expired, cancelled, refunded',
      labelNames: ['outcome'],
    });
    const deps: CheckoutDeps = {
      // a transaction that lost a race for locks (deadlock, serialization failure) runs again whole
      uow: new RetryingUnitOfWork(new TypeOrmUnitOfWork(platform.dataSource, () => null), {
        onRetry: (code, attempt) =>
          logger.warn({ code, attempt }, 'checkout transaction lost a race; retrying'),
      }),
      clock: platform.clock,
      cart: others.cart,
      catalog: others.catalog,
      pricing: others.pricing,
      inventory: others.inventory,
      orders: others.orders,
      payments: others.payments,
      identity: others.identity,
      fulfilment: others.fulfilment,
      logger,
      outcome: (outcome) => outcomes.inc({ outcome }),
      afterCommit,
    };
    const services = createCheckoutServices(deps, others.pendingPayments);
    return {
      name: 'checkout',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(checkoutRoutes, {
          placeOrder: services.placeOrder,
          cancelOrder: services.cancelOrder,
          refundOrder: services.refundOrder,
          guards,
        });
      },
      consumers: checkoutRegistrations(services),
      tasks: [
        periodicTask(
          'pending payment worker',
          others.pendingPayments?.intervalMs ?? 2_000,
          async () => {
            await services.retryPendingPayments.execute();
          },
          logger,
        ),
      ],
    };
  },
});
