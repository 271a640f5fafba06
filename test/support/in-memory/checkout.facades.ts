import { randomUUID } from 'node:crypto';
import type { CartFacade, OpenCartSnapshot } from '../../../src/cart/contract.js';
import type { CatalogFacade } from '../../../src/catalog/contract.js';
import type { CheckoutDeps } from '../../../src/checkout/application/checkout.deps.js';
import { PlaceOrder } from '../../../src/checkout/application/place-order.use-case.js';
import type { FulfilmentFacade, ShipmentSummary } from '../../../src/fulfilment/contract.js';
import type { IdentityFacade } from '../../../src/identity/contract.js';
import type { AllocatedLine, InventoryOrderFacade } from '../../../src/inventory/contract.js';
import type {
  AuthorizationOutcome,
  PaymentStatus,
  PaymentsFacade,
  PaymentView,
} from '../../../src/payments/contract.js';
import { ConflictError } from '../../../src/platform/errors.js';
import type { PricingFacade, Quote } from '../../../src/pricing/contract.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import { type InMemoryOrders, inMemoryOrders } from './orders.deps.js';

/**
 * Scripted fakes of the facades checkout calls, for its use-case unit tests: each keeps the little
 * state checkout's steps change (a cart closed, stock reserved, a payment opened) and a `journal` of
 * the calls in order, so a test can say what was done and undone. Orders are not faked: they are
 * orders' own use cases over in-memory repositories (orders.deps.ts). A member checkout does not call
 * throws when called.
 */
const only = <T extends object>(name: string, impl: Partial<T>): T =>
  new Proxy(impl, {
    get: (target, key) => {
      if (key in target) return (target as Record<string | symbol, unknown>)[key];
      if (key === 'then') return undefined;
      throw new Error(`${name}.${String(key)} is not faked: checkout does not call it`);
    },
  }) as T;

/** the one warehouse the fake inventory reserves in */
export const WAREHOUSE = '6f5e4d3c-2b1a-4098-8765-43210fedcba9';

export const SHOPPER = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';

export interface CheckoutWorld {
  deps: CheckoutDeps;
  /** the checkout transactions: how many committed */
  uow: InMemoryUnitOfWork<null>;
  orders: InMemoryOrders;
  /** every fake's calls, in order: `cart.close <cartId>`, `inventory.reserve <orderId>`, … */
  journal: string[];
  carts: Map<string, OpenCartSnapshot & { closedBy?: string }>;
  /** on hand per SKU (the reservations take from it) */
  stock: Map<string, number>;
  /** orders whose reservation expired: `confirm` answers false */
  expired: Set<string>;
  payments: Map<string, PaymentView>;
  /** what the provider answers for an order (`*`: for every order not set): authorized unless set */
  provider: Map<string, 'authorized' | 'declined' | 'unavailable' | 'action_required'>;
  /** each order's shipments, as fulfilment would report them */
  shipments: Map<string, ShipmentSummary[]>;
  /** prices per SKU (minor units) */
  prices: Map<string, number>;
  /** promotion codes and whether they still apply */
  promotions: Map<string, boolean>;
  outcomes: string[];
  logged: string[];
  /** runs the after-commit effects registered so far, as the commit of the caller's transaction does */
  commit(): void;
  /** an open cart of the shopper, ready to check out: SKU-1 ×2 at 1250, an address, standard shipping */
  readyCart(over?: Partial<OpenCartSnapshot>): string;
}

export const checkoutWorld = (): CheckoutWorld => {
  const orders = inMemoryOrders();
  const journal: string[] = [];
  const carts = new Map<string, OpenCartSnapshot & { closedBy?: string }>();
  const stock = new Map<string, number>([
    ['SKU-1', 10],
    ['SKU-2', 10],
  ]);
  const reserved = new Map<string, AllocatedLine[]>();
  const expired = new Set<string>();
  const payments = new Map<string, PaymentView>();
  const provider = new Map<string, 'authorized' | 'declined' | 'unavailable' | 'action_required'>();
  const shipments = new Map<string, ShipmentSummary[]>();
  const prices = new Map<string, number>([
    ['SKU-1', 1250],
    ['SKU-2', 499],
  ]);
  const promotions = new Map<string, boolean>();
  const redemptions = new Map<string, string>();
  const outcomes: string[] = [];
  const logged: string[] = [];
  const log = (entry: string) => journal.push(entry);

  const cart = only<CartFacade>('cart', {
    getOpenCart: async (cartId) => {
      const c = carts.get(cartId);
      return c && !c.closedBy ? structuredClone({ ...c }) : null;
    },
    close: async (cartId, orderId) => {
      log(`cart.close ${cartId}`);
      const c = carts.get(cartId);
      if (c) c.closedBy = orderId;
    },
    reopen: async (cartId, orderId) => {
      log(`cart.reopen ${cartId}`);
      const c = carts.get(cartId);
      if (!c || c.closedBy !== orderId) return false;
      delete c.closedBy;
      return true;
    },
  });
  const catalog = only<CatalogFacade>('catalog', {
    findVariants: async (skus) =>
      skus
        .filter((sku) => prices.has(sku))
        .map((sku) => ({
          sku,
          productId: randomUUID(),
          productName: `Product ${sku}`,
          slug: sku.toLowerCase(),
          status: 'active' as const,
          taxClass: 'standard',
        })),
  });
  const pricing = only<PricingFacade>('pricing', {
    quote: async (input): Promise<Quote> => {
      const priced = input.lines.filter((l) => prices.has(l.sku));
      const code = input.promotionCode ?? null;
      const applies = code ? (promotions.get(code) ?? false) : false;
      const lines = priced.map((l) => {
        const subtotal = prices.get(l.sku)! * l.quantity;
        const discount = applies ? Math.round(subtotal / 10) : 0;
        const total = subtotal - discount;
        return {
          sku: l.sku,
          quantity: l.quantity,
          taxClass: l.taxClass,
          unitPrice: prices.get(l.sku)!,
          subtotal,
          discount,
          total,
          tax: Math.round((total * 20) / 120),
        };
      });
      const subtotal = lines.reduce((a, l) => a + l.subtotal, 0);
      const discount = lines.reduce((a, l) => a + l.discount, 0);
      return {
        currency: 'EUR',
        taxMode: 'inclusive',
        lines,
        subtotal,
        discount,
        shipping: 495,
        shippingTax: 83,
        tax: lines.reduce((a, l) => a + l.tax, 0) + 83,
        total: subtotal - discount + 495,
        promotion: code
          ? applies
            ? { code, applied: true }
            : { code, applied: false, reason: 'usage_limit_reached' as never }
          : null,
        shippingOption: input.shippingOption ? { code: input.shippingOption, name: 'Standard' } : null,
        missingPrices: input.lines.filter((l) => !prices.has(l.sku)).map((l) => l.sku),
      };
    },
    redeemPromotion: async (code, orderId) => {
      log(`pricing.redeemPromotion ${code}`);
      redemptions.set(orderId, code);
      return { promotionId: randomUUID(), code, orderId, alreadyRedeemed: false };
    },
    releasePromotion: async (orderId) => {
      log(`pricing.releasePromotion ${orderId}`);
      const code = redemptions.get(orderId) ?? null;
      redemptions.delete(orderId);
      return code;
    },
  });
  const inventory = only<InventoryOrderFacade>('inventory', {
    availability: async (skus) => new Map(skus.map((sku) => [sku, stock.get(sku) ?? 0])),
    reserve: async (orderId, lines) => {
      log(`inventory.reserve ${orderId}`);
      const short = lines.filter((l) => (stock.get(l.sku) ?? 0) < l.quantity).map((l) => l.sku);
      if (short.length > 0) return { ok: false, orderId, shortSkus: short };
      const allocated = lines.map((l) => ({ sku: l.sku, warehouseId: WAREHOUSE, quantity: l.quantity }));
      for (const l of lines) stock.set(l.sku, stock.get(l.sku)! - l.quantity);
      reserved.set(orderId, allocated);
      return {
        ok: true,
        orderId,
        lines: allocated,
        expiresAt: new Date(orders.clock.now().getTime() + 900_000),
      };
    },
    release: async (orderId, reason) => {
      log(`inventory.release ${orderId} (${reason})`);
      const lines = reserved.get(orderId) ?? [];
      for (const l of lines) stock.set(l.sku, (stock.get(l.sku) ?? 0) + l.quantity);
      reserved.delete(orderId);
      return lines;
    },
    confirm: async (orderId) => {
      log(`inventory.confirm ${orderId}`);
      return reserved.has(orderId) && !expired.has(orderId);
    },
    ship: async (orderId, warehouseId) => {
      log(`inventory.ship ${orderId} ${warehouseId}`);
      const lines = reserved.get(orderId);
      if (!lines) throw new ConflictError(`Order ${orderId} holds no reservation to ship from`);
      const leaving = lines.filter((l) => l.warehouseId === warehouseId);
      reserved.set(
        orderId,
        lines.filter((l) => l.warehouseId !== warehouseId),
      );
      return leaving;
    },
  });
  const money = (amount: number) => ({ amount, currency: 'EUR' });
  const setStatus = (orderId: string, status: PaymentStatus, more: Partial<PaymentView> = {}) => {
    const p = payments.get(orderId);
    if (p) payments.set(orderId, { ...p, status, ...more });
    return payments.get(orderId) ?? null;
  };
  const paymentsFacade = only<PaymentsFacade>('payments', {
    open: async (input) => {
      log(`payments.open ${input.orderId}`);
      const view: PaymentView = {
        id: randomUUID(),
        orderId: input.orderId,
        status: 'PENDING',
        provider: 'fake',
        brand: null,
        last4: null,
        amount: money(input.amount),
        authorized: money(0),
        captured: money(0),
        refunded: money(0),
      };
      payments.set(input.orderId, view);
      return view;
    },
    requestAuthorization: async (orderId): Promise<AuthorizationOutcome> => {
      log(`payments.requestAuthorization ${orderId}`);
      const paymentId = payments.get(orderId)?.id ?? randomUUID();
      const answer = provider.get(orderId) ?? provider.get('*') ?? 'authorized';
      if (answer === 'authorized')
        return {
          result: 'authorized',
          paymentId,
          orderId,
          providerRef: 'ref-1',
          brand: 'visa',
          last4: '4242',
        };
      if (answer === 'declined') return { result: 'declined', paymentId, orderId, reason: 'card_declined' };
      if (answer === 'action_required')
        return {
          result: 'action_required',
          paymentId,
          orderId,
          providerRef: 'pi_1',
          nextAction: { type: 'use_stripe_sdk', clientSecret: 'pi_1_secret_x' },
        };
      return { result: 'unavailable', paymentId, orderId, reason: 'timeout' };
    },
    recordAuthorization: async (outcome) => {
      log(`payments.recordAuthorization ${outcome.orderId} ${outcome.result}`);
      const p = payments.get(outcome.orderId)!;
      if (outcome.result === 'authorized')
        return setStatus(outcome.orderId, 'AUTHORIZED', {
          brand: outcome.brand,
          last4: outcome.last4,
          authorized: p.amount,
        })!;
      if (outcome.result === 'declined') return setStatus(outcome.orderId, 'FAILED')!;
      return p;
    },
    cancel: async (orderId, reason) => {
      log(`payments.cancel ${orderId} (${reason})`);
      const p = payments.get(orderId);
      if (!p) return null;
      return p.status === 'AUTHORIZED' ? setStatus(orderId, 'VOID_PENDING') : p;
    },
    settle: async (orderId) => {
      log(`payments.settle ${orderId}`);
      const p = payments.get(orderId);
      return p?.status === 'VOID_PENDING' ? setStatus(orderId, 'VOIDED') : (p ?? null);
    },
    refund: async (orderId, input, steps) => {
      log(`payments.refund ${orderId} ${input.amount ?? 'all'} (${input.reason})`);
      const tx = { refund: orderId } as never;
      await steps?.begin?.(tx);
      await steps?.reserved?.(tx);
      const p = payments.get(orderId)!;
      return setStatus(orderId, 'PARTIALLY_REFUNDED', {
        refunded: money(input.amount ?? p.captured.amount),
      })!;
    },
    requestCapture: async (orderId) => {
      log(`payments.requestCapture ${orderId}`);
      // the capture becomes due; the payment stays AUTHORIZED until the provider captured it
      return payments.get(orderId) ?? null;
    },
    viewsOf: async (orderIds) =>
      new Map(orderIds.filter((id) => payments.has(id)).map((id) => [id, payments.get(id)!])),
  });
  const identity = only<IdentityFacade>('identity', {
    customerContact: async (customerId) =>
      customerId === SHOPPER ? { email: 'Shopper@Example.COM', name: 'Shopper' } : null,
  });
  const fulfilment = only<FulfilmentFacade>('fulfilment', {
    shipmentsOf: async (orderIds) =>
      new Map(orderIds.filter((id) => shipments.has(id)).map((id) => [id, shipments.get(id)!])),
  });
  const uow = new InMemoryUnitOfWork<null>(null);
  let pending: (() => void)[] = [];
  const deps: CheckoutDeps = {
    uow,
    clock: orders.clock,
    cart,
    catalog,
    pricing,
    inventory,
    orders: orders.facade,
    payments: paymentsFacade,
    identity,
    fulfilment,
    logger: {
      info: (_o, msg) => logged.push(`info: ${msg}`),
      warn: (_o, msg) => logged.push(`warn: ${msg}`),
      error: (_o, msg) => logged.push(`error: ${msg}`),
    },
    outcome: (outcome) => outcomes.push(outcome),
    afterCommit: (_tx, fn) => {
      pending.push(fn);
    },
  };
  // the order views show the payment, as src/contexts.ts wires payments' viewsOf
  orders.deps.views.payments = async (ids) => {
    const views = await paymentsFacade.viewsOf(ids);
    return new Map([...views].map(([id, p]) => [id, p]));
  };
  return {
    deps,
    uow,
    orders,
    journal,
    carts,
    stock,
    expired,
    payments,
    provider,
    shipments,
    prices,
    promotions,
    outcomes,
    logged,
    commit: () => {
      const effects = pending;
      pending = [];
      for (const fn of effects) fn();
    },
    readyCart: (over = {}) => {
      const id = randomUUID();
      carts.set(id, {
        id,
        customerId: SHOPPER,
        email: null,
        currency: 'EUR',
        lines: [{ sku: 'SKU-1', quantity: 2 }],
        promotionCode: null,
        shippingAddress: {
          name: 'Ada Lovelace',
          line1: '12 Analytical Row',
          city: 'Dublin',
          postalCode: 'D02 X285',
          country: 'IE',
        },
        shippingOption: 'standard',
        updatedAt: orders.clock.now(),
        version: 1,
        ...over,
      });
      return id;
    },
  };
};

/**
 * Checks out a ready cart while the provider cannot answer: the order is left PAYMENT_PENDING, and the
 * journal and outcomes are emptied. The outage ends with it unless `keepOutage`.
 */
export const pendingOrder = async (w: CheckoutWorld, { keepOutage = false } = {}): Promise<string> => {
  w.provider.set('*', 'unavailable');
  const cartId = w.readyCart();
  const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: 'tok', customerId: SHOPPER });
  if (!keepOutage) w.provider.delete('*');
  w.journal.length = 0;
  w.outcomes.length = 0;
  return order.id;
};
