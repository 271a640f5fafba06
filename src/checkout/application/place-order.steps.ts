import type { OpenCartSnapshot } from '../../cart/contract.js';
import type { NewOrderLine, OrderActor, OrderSnapshot, OrderStatus } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { SagaStep } from '../../platform/domain/saga.js';
import { NotFoundError } from '../../platform/errors.js';
import type { Quote } from '../../pricing/contract.js';
import {
  CartItemsUnavailableError,
  CartNotReadyError,
  CouponNoLongerAppliesError,
  OrderOutOfStockError,
} from '../domain/checkout.errors.js';
import type { CheckoutDeps } from './checkout.deps.js';

/** What `POST /api/v1/orders` asks for. */
export interface PlaceOrderRequest {
  cartId: string;
  /** the payment provider's token (docs/product/api.md: `payment.token`) */
  token: string;
  /** the signed-in customer, or null for a guest */
  customerId: string | null;
}

/** What the steps of step 1 learn as they run, in order. */
export interface Placement {
  request: PlaceOrderRequest;
  orderId: string;
  cart?: OpenCartSnapshot;
  email?: string;
  quote?: Quote;
  lines?: NewOrderLine[];
  /** the coupon the quote applied, redeemed by this order */
  promotionCode?: string | null;
  shippingOption?: { code: string; name: string };
  /** the order as step 1 created it */
  order?: OrderSnapshot;
}

/** What undoing step 1 needs — all of it known from the order, so a worker elsewhere can undo it too. */
export interface PlacementUndo {
  orderId: string;
  cartId: string;
  reason: string;
  actor: OrderActor;
  /** give the shopper their cart back (a declined payment); not when they cancelled on purpose */
  reopenCart: boolean;
}

/** Order statuses a compensation may still cancel (docs/product/spec.md: before dispatch). */
export const CANCELLABLE: ReadonlySet<OrderStatus> = new Set([
  'CREATED',
  'PAYMENT_PENDING',
  'PAYMENT_AUTHORIZED',
  'CONFIRMED',
  'PROCESSING',
]);

const SYSTEM: OrderActor = { kind: 'system' };

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`checkout step ran before ${what} was known`);
  return value;
};

/**
 * Step 1 of the checkout saga (docs/product/spec.md), as explicit steps: all of them run in one transaction that
 * every facade joins, so the order, its reservation, the coupon's use, the payment and the closed
 * cart — and their events in the outbox — commit together or not at all. Their compensations undo
 * them in reverse order, in one transaction, when the payment is declined, the reservation expires
 * or the order is cancelled.
 *
 * The steps that lock rows other checkouts want — a popular coupon, a scarce SKU's stock — come last,
 * so those locks are held for the few statements before COMMIT, not for the whole transaction.
 */
export const placeOrderSteps = (
  deps: CheckoutDeps,
): SagaStep<Placement, PlacementUndo, TransactionHandle>[] => [
  {
    name: 'read the cart',
    // the cart row stays locked to the end of the transaction: concurrent checkouts of one cart queue
    invoke: async (p, tx) => {
      const cart = await deps.cart.getOpenCart(p.request.cartId, tx);
      // a customer's cart is theirs alone; a guest cart belongs to whoever holds its id
      if (!cart || (cart.customerId !== null && cart.customerId !== p.request.customerId)) {
        throw new NotFoundError('Cart');
      }
      const missing: string[] = [];
      if (cart.lines.length === 0) missing.push('items');
      if (!cart.shippingAddress) missing.push('a shipping address');
      if (!cart.shippingOption) missing.push('a shipping option');
      let email = cart.email;
      if (cart.customerId) email = (await deps.identity.customerContact(cart.customerId, tx))?.email ?? null;
      if (!email)
        missing.push(cart.customerId ? 'an active customer account' : 'an email (PUT /carts/:id/email)');
      if (missing.length > 0) throw new CartNotReadyError(missing);
      p.cart = cart;
      p.email = email!;
    },
    compensate: async () => {},
  },
  {
    name: 'price the cart',
    invoke: async (p, tx) => {
      const cart = need(p.cart, 'the cart');
      const skus = cart.lines.map((l) => l.sku);
      const variants = new Map((await deps.catalog.findVariants(skus, tx)).map((v) => [v.sku, v]));
      const inactive = skus.filter((s) => variants.get(s)?.status !== 'active');
      if (inactive.length > 0) throw new CartItemsUnavailableError(inactive);
      const quote = await deps.pricing.quote(
        {
          lines: cart.lines.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            taxClass: variants.get(l.sku)!.taxClass,
          })),
          promotionCode: cart.promotionCode,
          shippingOption: cart.shippingOption,
          now: deps.clock.now(),
        },
        tx,
      );
      if (quote.missingPrices.length > 0) throw new CartItemsUnavailableError(quote.missingPrices);
      // the shopper saw the coupon's discount: one that stopped applying (used up, expired) is
      // theirs to drop, not ours to ignore
      if (quote.promotion && !quote.promotion.applied) {
        throw new CouponNoLongerAppliesError(
          quote.promotion.code,
          quote.promotion.reason ?? 'not applicable',
        );
      }
      // an unlocked look at the stock first: once a SKU is sold out, checkouts are refused without
      // queueing on its stock rows (the locked, authoritative check is the reservation, last)
      const available = await deps.inventory.availability(skus, { fresh: true, tx });
      const short = cart.lines.filter((l) => (available.get(l.sku) ?? 0) < l.quantity).map((l) => l.sku);
      if (short.length > 0) throw new OrderOutOfStockError(short);
      p.quote = quote;
      p.lines = quote.lines.map((l) => ({
        sku: l.sku,
        name: variants.get(l.sku)!.productName,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        subtotal: l.subtotal,
        discount: l.discount,
        lineTotal: l.total,
        tax: l.tax,
      }));
      p.promotionCode = quote.promotion?.code ?? null;
      p.shippingOption = need(quote.shippingOption ?? undefined, 'the shipping option');
    },
    compensate: async () => {},
  },
  {
    name: 'create the order',
    invoke: async (p, tx) => {
      const cart = need(p.cart, 'the cart');
      const quote = need(p.quote, 'the quote');
      p.order = await deps.orders.place(
        {
          id: p.orderId,
          cartId: cart.id,
          customerId: cart.customerId,
          email: need(p.email, 'the email').toLowerCase(),
          currency: quote.currency,
          taxMode: quote.taxMode,
          lines: need(p.lines, 'the lines'),
          subtotal: quote.subtotal,
          discount: quote.discount,
          shipping: quote.shipping,
          tax: quote.tax,
          total: quote.total,
          promotionCode: p.promotionCode ?? null,
          shippingAddress: need(cart.shippingAddress ?? undefined, 'the address'),
          shippingOption: need(p.shippingOption, 'the shipping option'),
        },
        cart.customerId ? { kind: 'customer', id: cart.customerId } : { kind: 'guest' },
        tx,
      );
    },
    compensate: async (u, tx) => {
      const order = await deps.orders.get(u.orderId, tx);
      if (order && CANCELLABLE.has(order.status)) {
        await deps.orders.transition(u.orderId, 'CANCELLED', { actor: u.actor, reason: u.reason }, tx);
      }
    },
  },
  {
    name: 'open the payment',
    invoke: async (p, tx) => {
      const quote = need(p.quote, 'the quote');
      await deps.payments.open(
        { orderId: p.orderId, amount: quote.total, currency: quote.currency, token: p.request.token },
        tx,
      );
    },
    // a pending or authorized payment is voided at the provider after the transaction (payments settles it)
    compensate: async (u, tx) => {
      await deps.payments.cancel(u.orderId, u.reason, tx);
    },
  },
  {
    name: 'close the cart',
    invoke: async (p, tx) => {
      await deps.cart.close(need(p.cart, 'the cart').id, p.orderId, tx);
    },
    compensate: async (u, tx) => {
      if (u.reopenCart) await deps.cart.reopen(u.cartId, u.orderId, tx);
    },
  },
  {
    name: 'redeem the coupon',
    invoke: async (p, tx) => {
      if (p.promotionCode) await deps.pricing.redeemPromotion(p.promotionCode, p.orderId, tx);
    },
    compensate: async (u, tx) => {
      await deps.pricing.releasePromotion(u.orderId, tx);
    },
  },
  {
    name: 'reserve the stock',
    invoke: async (p, tx) => {
      const cart = need(p.cart, 'the cart');
      const result = await deps.inventory.reserve(p.orderId, cart.lines, tx);
      if (!result.ok) throw new OrderOutOfStockError(result.shortSkus);
    },
    compensate: async (u, tx) => {
      await deps.inventory.release(u.orderId, u.reason, tx);
    },
  },
];

export const systemActor = SYSTEM;
