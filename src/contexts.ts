import { type CartModule, cartContext } from './cart/cart.plugin.js';
import { type CatalogModule, catalogContext } from './catalog/catalog.plugin.js';
import {
  type CheckoutDependencies,
  type CheckoutModule,
  checkoutContext,
} from './checkout/checkout.plugin.js';
import {
  type FulfilmentDependencies,
  type FulfilmentModule,
  fulfilmentContext,
} from './fulfilment/fulfilment.plugin.js';
import { type IdentityModule, identityContext } from './identity/identity.plugin.js';
import { type InventoryModule, inventoryContext } from './inventory/inventory.plugin.js';
import {
  type NotificationsDependencies,
  type NotificationsModule,
  notificationsContext,
} from './notifications/notifications.plugin.js';
import { type OrdersModule, ordersContext } from './orders/orders.plugin.js';
import {
  type PaymentsDependencies,
  type PaymentsModule,
  paymentsContext,
} from './payments/payments.plugin.js';
import { PLATFORM_MIGRATIONS } from './platform/db/platform-migrations.js';
import { type ContextModule, collectMigrations, contextLifecycle } from './platform/module/context-module.js';
import type { Platform } from './platform/platform.js';
import { type PricingModule, pricingContext } from './pricing/pricing.plugin.js';
import { type ReturnsDependencies, type ReturnsModule, returnsContext } from './returns/returns.plugin.js';

/**
 * The bounded contexts of this process, in start order. Adding one: write its folder with a
 * `<context>.plugin.ts` that exports a `defineContext(...)`, list it here, and wire what it needs
 * in {@link composeContexts} (docs/adding-a-context.md). The runtime derives everything else —
 * entities, migrations, routes, consumers, background tasks, GDPR export sections — from this list.
 */
export const CONTEXTS = [
  identityContext,
  pricingContext,
  catalogContext,
  inventoryContext,
  cartContext,
  paymentsContext,
  ordersContext,
  fulfilmentContext,
  checkoutContext,
  returnsContext,
  notificationsContext,
] as const;

/** Every TypeORM entity schema of every context. */
export const ENTITIES = CONTEXTS.flatMap((c) => c.entities);

/** Every migration (platform's and the contexts'), in timestamp order. */
export const MIGRATIONS = collectMigrations(PLATFORM_MIGRATIONS, CONTEXTS);

/** The modules of one app instance, by name, and all of them in start order. */
export interface Contexts {
  identity: IdentityModule;
  pricing: PricingModule;
  catalog: CatalogModule;
  inventory: InventoryModule;
  cart: CartModule;
  orders: OrdersModule;
  fulfilment: FulfilmentModule;
  checkout: CheckoutModule;
  payments: PaymentsModule;
  returns: ReturnsModule;
  notifications: NotificationsModule;
  all: readonly ContextModule[];
  lifecycle: ReturnType<typeof contextLifecycle>;
}

/** What a runtime may replace in the contexts it composes (tests: one payment provider shared by instances). */
export interface ContextOverrides {
  payments?: PaymentsDependencies;
  /** the pending-payment worker's pace (tests: faster than every 2 s) */
  checkout?: Pick<CheckoutDependencies, 'pendingPayments'>;
  /** the carrier (tests: one fake shared by instances, or one that is down) */
  fulfilment?: Pick<FulfilmentDependencies, 'carrier' | 'carrierResilience'>;
  /** the mailer, the sender's pace and backoff (tests: a mailer that records, a sender every 50 ms) */
  notifications?: Pick<NotificationsDependencies, 'mailer' | 'sendIntervalMs' | 'retry'>;
  /** the returns tasks' pace (tests: faster than every 30 s / 60 s) */
  returns?: Pick<ReturnsDependencies, 'refundRetryIntervalMs' | 'completionIntervalMs'>;
}

/**
 * The composition root of the contexts: each gets the facades of the others it needs, and nothing
 * more. Some need each other — identity adopts guest carts at login while carts are checked against
 * identity's tokens; pricing and inventory keep data only for SKUs the catalog knows while the catalog
 * shows their prices and stock; fulfilment and returns read orders while the order views show their shipments and returns — so
 * those calls are bound late, through the module that is created further down.
 */
export const composeContexts = (platform: Platform, overrides: ContextOverrides = {}): Contexts => {
  const late: {
    catalog?: CatalogModule;
    cart?: CartModule;
    fulfilment?: FulfilmentModule;
    returns?: ReturnsModule;
    checkout?: CheckoutModule;
    orders?: OrdersModule;
    all?: readonly ContextModule[];
  } = {};
  const bound = <T>(module: T | undefined, name: string): T => {
    if (!module) throw new Error(`the ${name} context is not composed yet`);
    return module;
  };
  const skus = {
    exists: (sku: string) => bound(late.catalog, 'catalog').facade.skuExists(sku),
  };

  const identity = identityContext.create(platform, {
    cartAdoption: {
      adopt: (cartId, customerId) => bound(late.cart, 'cart').facade.adoptGuestCart(cartId, customerId),
    },
    personalData: () => contextLifecycle(bound(late.all, 'every')).personalData(),
  });
  const pricing = pricingContext.create(platform, { skus });
  const inventory = inventoryContext.create(platform, { skus });
  // browsing reads availability that may be up to 5 s old; reserving never does (docs/inventory.md)
  const catalog = catalogContext.create(platform, {
    stock: { availableFor: (list) => inventory.facade.availability(list, { fresh: false }) },
  });
  const cart = cartContext.create(platform, {
    catalog: catalog.facade,
    pricing: pricing.facade,
    inventory: inventory.facade,
  });
  // a provider's webhook (3-D Secure answered) completes the order's checkout: checkout calls payments, so bound late
  const payments = paymentsContext.create(platform, {
    authorizationChanged: (orderId) => bound(late.checkout, 'checkout').facade.completePayment(orderId),
    noteOrder: async (orderId, text, tx) => {
      await bound(late.orders, 'orders').facade.note(
        orderId,
        { actor: { kind: 'system' }, reason: text },
        tx,
      );
    },
    ...overrides.payments,
  });
  const orders = ordersContext.create(platform, {
    views: {
      payments: (ids, tx) => payments.facade.viewsOf(ids, tx),
      shipments: (ids, tx) => bound(late.fulfilment, 'fulfilment').facade.shipmentsOf(ids, tx),
      returns: (ids, tx) => bound(late.returns, 'returns').facade.summariesOf(ids, tx),
    },
  });
  const fulfilment = fulfilmentContext.create(platform, {
    orders: orders.facade,
    inventory: inventory.facade,
    ...overrides.fulfilment,
  });
  const checkout = checkoutContext.create(platform, {
    cart: cart.facade,
    catalog: catalog.facade,
    pricing: pricing.facade,
    inventory: inventory.facade,
    orders: orders.facade,
    payments: payments.facade,
    identity: identity.facade,
    fulfilment: fulfilment.facade,
    ...overrides.checkout,
  });
  // returns orchestrates the receipt across orders, inventory and payments; order views show its returns (bound late)
  const returns = returnsContext.create(platform, {
    orders: orders.facade,
    fulfilment: fulfilment.facade,
    inventory: inventory.facade,
    payments: payments.facade,
    catalog: catalog.facade,
    pricing: pricing.facade,
    ...overrides.returns,
  });
  const notifications = notificationsContext.create(platform, {
    orders: orders.facade,
    identity: identity.facade,
    // a dispatched replacement order is told as such (returns is composed before notifications)
    returns: returns.facade,
    ...overrides.notifications,
  });
  late.catalog = catalog;
  late.cart = cart;
  late.fulfilment = fulfilment;
  late.returns = returns;
  late.checkout = checkout;
  late.orders = orders;
  const all: readonly ContextModule[] = [
    identity,
    pricing,
    catalog,
    inventory,
    cart,
    payments,
    orders,
    fulfilment,
    checkout,
    returns,
    notifications,
  ];
  late.all = all;
  return {
    identity,
    pricing,
    catalog,
    inventory,
    cart,
    payments,
    orders,
    fulfilment,
    checkout,
    returns,
    notifications,
    all,
    lifecycle: contextLifecycle(all),
  };
};
