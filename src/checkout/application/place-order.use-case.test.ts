import { describe, expect, it } from 'vitest';
import { checkoutWorld, SHOPPER } from '../../../test/support/in-memory/checkout.facades.js';
import { NotFoundError } from '../../platform/errors.js';
import {
  CartNotReadyError,
  CouponNoLongerAppliesError,
  OrderOutOfStockError,
  PaymentDeclinedError,
  ReservationExpiredError,
} from '../domain/checkout.errors.js';
import { PlaceOrder } from './place-order.use-case.js';

const TOKEN = 'tok_visa';

describe('PlaceOrder', () => {
  it('answers 201 with the order CONFIRMED when the payment is authorized: reservation confirmed, cart closed', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const placed = await new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER });
    expect(placed.status).toBe(201);
    expect(placed.order).toMatchObject({
      status: 'CONFIRMED',
      customerId: SHOPPER,
      total: { amount: 2 * 1250 + 495, currency: 'EUR' },
      payment: { status: 'AUTHORIZED', brand: 'visa', last4: '4242' },
    });
    expect(placed.order.history.map((h) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
    ]);
    expect(await w.deps.cart.getOpenCart(cartId)).toBeNull();
    expect(w.stock.get('SKU-1')).toBe(8);
    expect(w.outcomes).toEqual(['placed', 'confirmed']);
  });

  it('runs step 1 in order — order, payment, cart, coupon, stock last — then authorizes and confirms', async () => {
    const w = checkoutWorld();
    w.promotions.set('TEN', true);
    const cartId = w.readyCart({ promotionCode: 'TEN' });
    const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER });
    expect(w.journal).toEqual([
      `payments.open ${order.id}`,
      `cart.close ${cartId}`,
      'pricing.redeemPromotion TEN',
      `inventory.reserve ${order.id}`,
      `payments.requestAuthorization ${order.id}`,
      `payments.recordAuthorization ${order.id} authorized`,
      `inventory.confirm ${order.id}`,
    ]);
    expect(order.promotionCode).toBe('TEN');
    expect(order.discount.amount).toBe(250);
  });

  it('places a customer’s order with the account’s email, lower-cased', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER });
    expect(order.email).toBe('shopper@example.com');
  });

  it('answers 402 PAYMENT_DECLINED on a decline: the stock released, the cart open again, the order CANCELLED', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const place = new PlaceOrder(w.deps);
    w.provider.set('*', 'declined');
    const error = await place.execute({ cartId, token: TOKEN, customerId: SHOPPER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    const [orderId] = await w.deps.orders.idsOfCart(cartId);
    expect((await w.deps.orders.get(orderId!))?.status).toBe('CANCELLED');
    expect(w.stock.get('SKU-1')).toBe(10);
    expect(await w.deps.cart.getOpenCart(cartId)).not.toBeNull();
    expect(w.payments.get(orderId!)?.status).toBe('FAILED');
    expect(w.outcomes).toEqual(['placed', 'declined']);
  });

  it('answers 202 with the order PAYMENT_PENDING when the provider cannot answer, for the worker to complete', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    w.provider.set('*', 'unavailable');
    const placed = await new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER });
    expect(placed.status).toBe(202);
    expect(placed.order.status).toBe('PAYMENT_PENDING');
    expect(w.stock.get('SKU-1')).toBe(8);
    expect(w.outcomes).toEqual(['placed', 'pending']);
  });

  it('answers 409 when the reservation expired while the provider answered: compensated, the authorization voided', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const requestAuthorization = w.deps.payments.requestAuthorization;
    w.deps.payments.requestAuthorization = async (orderId) => {
      w.expired.add(orderId);
      return requestAuthorization(orderId);
    };
    await expect(
      new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER }),
    ).rejects.toBeInstanceOf(ReservationExpiredError);
    const [orderId] = await w.deps.orders.idsOfCart(cartId);
    expect((await w.deps.orders.get(orderId!))?.status).toBe('CANCELLED');
    expect(w.payments.get(orderId!)?.status).toBe('VOIDED');
    expect(w.journal.at(-1)).toBe(`payments.settle ${orderId}`);
  });

  it('refuses a cart without a shipping address with CartNotReady, creating nothing', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart({ shippingAddress: null });
    await expect(
      new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER }),
    ).rejects.toBeInstanceOf(CartNotReadyError);
    expect(await w.deps.orders.idsOfCart(cartId)).toEqual([]);
    expect(w.journal).toEqual([]);
  });

  it('answers another customer’s cart with 404, as if it did not exist', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    await expect(
      new PlaceOrder(w.deps).execute({
        cartId,
        token: TOKEN,
        customerId: '6e5d4c3b-2a19-4087-a6b5-c4d3e2f1a0b9',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a cart whose items are short with 409 OUT_OF_STOCK before creating the order', async () => {
    const w = checkoutWorld();
    w.stock.set('SKU-1', 1);
    const cartId = w.readyCart();
    await expect(
      new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER }),
    ).rejects.toBeInstanceOf(OrderOutOfStockError);
    expect(await w.deps.orders.idsOfCart(cartId)).toEqual([]);
  });

  it('refuses a coupon that stopped applying: the shopper saw its discount', async () => {
    const w = checkoutWorld();
    w.promotions.set('GONE', false);
    const cartId = w.readyCart({ promotionCode: 'GONE' });
    await expect(
      new PlaceOrder(w.deps).execute({ cartId, token: TOKEN, customerId: SHOPPER }),
    ).rejects.toBeInstanceOf(CouponNoLongerAppliesError);
    expect(await w.deps.orders.idsOfCart(cartId)).toEqual([]);
  });
});
