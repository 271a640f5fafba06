import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuoteInput } from '../../../src/pricing/contract.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'cart-flow-admin@shop.example', password: 'admin-password-1' };
const PASSWORD = 'correct horse battery';
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();

type Money = { amount: number; currency: string };
interface CartBody {
  id: string;
  customerId: string | null;
  currency: string;
  items: { sku: string; name: string; quantity: number; unitPrice: Money; lineTotal: Money }[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  promotionCode: string | null;
  promotion: { code: string; applied: boolean; reason?: string } | null;
  shippingAddress: Record<string, unknown> | null;
  shippingOption: string | null;
  email: string | null;
  updatedAt: string;
}

describe.skipIf(missing('postgres'))('cart flow: guest cart, coupon, shipping, adoption at login', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let shop: ReturnType<typeof shopAdmin>;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
    shop = shopAdmin(t, admin);
  });
  afterAll(async () => t?.close());

  /** An active product with these SKUs, each priced (minor units, EUR). */
  const product = async (prices: Record<string, number>, name = 'Cart thing') => {
    await shop.createProduct(Object.keys(prices), { name, description: 'In a cart' });
    for (const [sku, amount] of Object.entries(prices)) await shop.setPrice(sku, amount);
  };

  /** Puts `quantity` on hand through inventory's admin routes. */
  const stock = (sku: string, quantity: number) => shop.addStock(sku, quantity);

  const register = async () => {
    const email = `cart-shopper-${Date.now()}-${seq++}@example.com`;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password: PASSWORD, name: 'Shopper' }),
    });
    expect(r.statusCode).toBe(201);
    return { email, id: r.json().customer.id as string, auth: bearer(r.json().accessToken) };
  };

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    auth = {},
  ) =>
    body === undefined
      ? t.app.inject({ method, url, headers: auth })
      : t.app.inject({ method, url, ...json(body, auth) });

  const addItem = async (cartId: string, sku: string, quantity: number, auth = {}) => {
    const r = await call('POST', `/api/v1/carts/${cartId}/items`, { sku, quantity }, auth);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as CartBody;
  };

  /** Every amount of the cart equals what the pricing engine quotes for the same lines. */
  const expectPricedByEngine = async (cart: CartBody, input: Omit<QuoteInput, 'lines'>) => {
    const quote = await t.runtime.modules.pricing.facade.quote({
      ...input,
      lines: cart.items.map((i) => ({ sku: i.sku, quantity: i.quantity, taxClass: 'standard' })),
    });
    const m = (amount: number) => ({ amount, currency: quote.currency });
    expect(cart.currency).toBe(quote.currency);
    expect(cart.subtotal).toEqual(m(quote.subtotal));
    expect(cart.discount).toEqual(m(quote.discount));
    expect(cart.shipping).toEqual(m(quote.shipping));
    expect(cart.tax).toEqual(m(quote.tax));
    expect(cart.total).toEqual(m(quote.total));
    for (const item of cart.items) {
      const line = quote.lines.find((l) => l.sku === item.sku)!;
      expect(item.unitPrice).toEqual(m(line.unitPrice));
      expect(item.lineTotal).toEqual(m(line.total));
    }
    return quote;
  };

  it('merges a guest cart into the customer’s cart at login, priced in EUR and visible only to them', async () => {
    const [a, b, c] = [unique('flow-a'), unique('flow-b'), unique('flow-c')];
    await product({ [a]: 1999, [b]: 2500, [c]: 1000 }, 'Flow shirt');
    for (const sku of [a, b, c]) await stock(sku, 50);
    const code = unique('TENOFF')
      .replace(/[^A-Z0-9_-]/g, '')
      .slice(0, 32);
    const promo = await call(
      'POST',
      '/api/v1/admin/promotions',
      { code, type: 'percentage', value: 10 },
      admin,
    );
    expect(promo.statusCode).toBe(201);

    // the guest shops
    const created = await call('POST', '/api/v1/carts', {});
    expect(created.statusCode).toBe(201);
    const guest = created.json() as CartBody;
    expect(guest).toMatchObject({ customerId: null, currency: 'EUR', items: [], promotionCode: null });
    expect(guest.total).toEqual({ amount: 0, currency: 'EUR' });
    await addItem(guest.id, a, 2);
    const withB = await addItem(guest.id, b, 1);
    expect(withB.items.map((i) => [i.sku, i.quantity, i.name])).toEqual([
      [a, 2, 'Flow shirt'],
      [b, 1, 'Flow shirt'],
    ]);
    await expectPricedByEngine(withB, {});

    const applied = await call('POST', `/api/v1/carts/${guest.id}/promotion`, { code: code.toLowerCase() });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ promotionCode: code, promotion: { code, applied: true } });
    expect(applied.json().discount.amount).toBeGreaterThan(0);
    await expectPricedByEngine(applied.json(), { promotionCode: code });

    const address = {
      name: 'Ada Guest',
      line1: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'de',
    };
    const shipped = await call('PUT', `/api/v1/carts/${guest.id}/shipping`, { address, option: 'standard' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json()).toMatchObject({
      shippingOption: 'standard',
      shippingAddress: { ...address, country: 'DE', line2: null, phone: null },
      shipping: { amount: 495, currency: 'EUR' },
    });
    await expectPricedByEngine(shipped.json(), { promotionCode: code, shippingOption: 'standard' });

    // a customer who already has a cart with an overlapping SKU
    const customer = await register();
    const own = await call('POST', '/api/v1/carts', {}, customer.auth);
    expect(own.statusCode).toBe(201);
    const ownCart = own.json() as CartBody;
    expect(ownCart.customerId).toBe(customer.id);
    await addItem(ownCart.id, a, 3, customer.auth);
    await addItem(ownCart.id, c, 1, customer.auth);

    // logs in with the guest cart id
    const login = await call('POST', '/api/v1/auth/login', {
      email: customer.email,
      password: PASSWORD,
      cartId: guest.id,
    });
    expect(login.statusCode).toBe(200);
    const auth = bearer(login.json().accessToken);

    // their cart holds the merged lines, the guest's coupon and shipping, priced in EUR
    const read = await call('GET', `/api/v1/carts/${ownCart.id}`, undefined, auth);
    expect(read.statusCode).toBe(200);
    const merged = read.json() as CartBody;
    expect(
      merged.items.map((i) => [i.sku, i.quantity]),
      'login with {cartId} must adopt the guest cart (identity → cart.facade.adoptGuestCart)',
    ).toEqual(
      expect.arrayContaining([
        [a, 5],
        [b, 1],
        [c, 1],
      ]),
    );
    expect(merged.items).toHaveLength(3);
    expect(merged).toMatchObject({
      id: ownCart.id,
      customerId: customer.id,
      currency: 'EUR',
      promotionCode: code,
      promotion: { code, applied: true },
      shippingOption: 'standard',
    });
    const quote = await expectPricedByEngine(merged, { promotionCode: code, shippingOption: 'standard' });
    expect(quote.missingPrices).toEqual([]);

    // by hand: 5 × 19.99 + 25.00 + 10.00 = 134.95; 10 % off; 4.95 shipping; EU prices include tax
    expect(merged.subtotal).toEqual({ amount: 13495, currency: 'EUR' });
    expect([1349, 1350]).toContain(merged.discount.amount);
    expect(merged.shipping).toEqual({ amount: 495, currency: 'EUR' });
    expect(merged.total.amount).toBe(13495 - merged.discount.amount + 495);
    const lineA = merged.items.find((i) => i.sku === a)!;
    expect(lineA.unitPrice).toEqual({ amount: 1999, currency: 'EUR' });

    // POST /carts with a token gives the customer their open cart back (201, as docs/product/api.md says)
    const again = await call('POST', '/api/v1/carts', {}, auth);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(ownCart.id);

    // the guest cart is gone (closed by the merge)
    expect((await call('GET', `/api/v1/carts/${guest.id}`)).statusCode).toBe(404);
    // another customer and anonymous callers get 404 — never 403
    const other = await register();
    const foreign = await call('GET', `/api/v1/carts/${ownCart.id}`, undefined, other.auth);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('GET', `/api/v1/carts/${ownCart.id}`)).statusCode).toBe(404);
    const foreignAdd = await call(
      'POST',
      `/api/v1/carts/${ownCart.id}/items`,
      { sku: a, quantity: 1 },
      other.auth,
    );
    expect(foreignAdd.statusCode).toBe(404);
  });

  it('a guest cart becomes the customer’s when they have none; merging caps lines at 99', async () => {
    const sku = unique('adopt');
    await product({ [sku]: 500 });
    await stock(sku, 200);
    const cart = () => t.runtime.modules.cart.facade;

    // no open cart: the guest cart itself is adopted
    const guest1 = (await call('POST', '/api/v1/carts', {})).json() as CartBody;
    await addItem(guest1.id, sku, 60);
    await call('PUT', `/api/v1/carts/${guest1.id}/email`, { email: 'guest@example.com' });
    const customer = await register();
    await cart().adoptGuestCart(guest1.id, customer.id);
    const adopted = await call('GET', `/api/v1/carts/${guest1.id}`, undefined, customer.auth);
    expect(adopted.statusCode).toBe(200);
    expect(adopted.json()).toMatchObject({ customerId: customer.id, items: [{ sku, quantity: 60 }] });
    expect((await call('GET', `/api/v1/carts/${guest1.id}`)).statusCode).toBe(404);

    // another guest cart merges into it, capped at 99; adopting twice changes nothing
    const guest2 = (await call('POST', '/api/v1/carts', {})).json() as CartBody;
    await addItem(guest2.id, sku, 60);
    await cart().adoptGuestCart(guest2.id, customer.id);
    await cart().adoptGuestCart(guest2.id, customer.id);
    const merged = await call('GET', `/api/v1/carts/${guest1.id}`, undefined, customer.auth);
    expect(merged.json().items).toEqual([expect.objectContaining({ sku, quantity: 99 })]);

    // a customer's cart is never adopted by someone else; unknown ids are ignored
    const other = await register();
    await cart().adoptGuestCart(guest1.id, other.id);
    await cart().adoptGuestCart(randomUUID(), other.id);
    expect((await call('GET', `/api/v1/carts/${guest1.id}`, undefined, customer.auth)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/carts/${guest1.id}`, undefined, other.auth)).statusCode).toBe(404);

    // checkout's view of it
    const snapshot = await cart().getOpenCart(guest1.id);
    expect(snapshot).toMatchObject({
      customerId: customer.id,
      lines: [{ sku, quantity: 99 }],
      email: null, // the guest's email went with adoption: the account's email applies
    });
  });

  it('adoption at login drops the guest’s email: a customer’s cart has none, the account’s applies', async () => {
    const sku = unique('email');
    await product({ [sku]: 700 });
    await stock(sku, 20);
    const login = async (who: { email: string }, cartId: string) => {
      const r = await call('POST', '/api/v1/auth/login', { email: who.email, password: PASSWORD, cartId });
      expect(r.statusCode, r.body).toBe(200);
      return bearer(r.json().accessToken);
    };
    const guestCart = async (email: string) => {
      const cart = (await call('POST', '/api/v1/carts')).json() as CartBody;
      await addItem(cart.id, sku, 1);
      const set = await call('PUT', `/api/v1/carts/${cart.id}/email`, { email });
      expect(set.json().email).toBe(email);
      return cart.id;
    };

    // b@y has no cart: the guest cart (email a@x) becomes theirs, without a@x
    const b = await register();
    const adoptedId = await guestCart('a@example.com');
    const bAuth = await login(b, adoptedId);
    const adopted = await call('GET', `/api/v1/carts/${adoptedId}`, undefined, bAuth);
    expect(adopted.json()).toMatchObject({ customerId: b.id, email: null, items: [{ sku, quantity: 1 }] });
    // and it cannot be given one (guest carts only)
    expect(
      (await call('PUT', `/api/v1/carts/${adoptedId}/email`, { email: 'a@example.com' }, bAuth)).statusCode,
    ).toBe(409);
    expect((await t.runtime.modules.cart.facade.getOpenCart(adoptedId))?.email).toBeNull();

    // d@y has a cart: the guest cart (email c@x) merges into it, and c@x is not taken over
    const d = await register();
    const own = (await call('POST', '/api/v1/carts', {}, d.auth)).json() as CartBody;
    const mergedId = await guestCart('c@example.com');
    const dAuth = await login(d, mergedId);
    const merged = await call('GET', `/api/v1/carts/${own.id}`, undefined, dAuth);
    expect(merged.json()).toMatchObject({
      id: own.id,
      customerId: d.id,
      email: null,
      items: [{ sku, quantity: 1 }],
    });
    expect((await call('GET', `/api/v1/carts/${mergedId}`)).statusCode).toBe(404);
    const exported = (await call('GET', '/api/v1/me/export', undefined, dAuth)).json();
    expect(JSON.stringify(exported.carts)).not.toContain('c@example.com');
  });

  it('documents every cart route in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/carts'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/carts/{id}'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/carts/{id}/items'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/carts/{id}/items/{sku}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect(Object.keys(paths['/api/v1/carts/{id}/promotion'] ?? {}).sort()).toEqual(['delete', 'post']);
    expect(Object.keys(paths['/api/v1/carts/{id}/shipping'] ?? {})).toEqual(['put']);
    expect(Object.keys(paths['/api/v1/carts/{id}/email'] ?? {})).toEqual(['put']);
  });
});
