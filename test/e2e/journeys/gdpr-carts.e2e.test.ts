import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

const ADMIN = { email: 'gdpr-admin@shop.example', password: 'admin-password-1' };

describe.skipIf(missing('postgres'))('GDPR: what carts hold about a customer is exported and erased', () => {
  let t: TestApp;
  let shop: ReturnType<typeof shopAdmin>;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    shop = shopAdmin(t, await loginAs(t, ADMIN));
  });
  afterAll(async () => t?.close());

  it('lists the customer’s carts in /me/export and scrubs them after DELETE /me', async () => {
    const sku = `GDPR-${Date.now().toString(36)}`.toUpperCase();
    await shop.createProduct([sku]);
    await shop.setPrice(sku, 2500);
    await shop.addStock(sku, 10);

    const email = `gdpr${Date.now()}@example.com`;
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password: 'a long password', name: 'Grace Hopper' }),
    });
    expect(reg.statusCode).toBe(201);
    const auth = bearer(reg.json().accessToken);
    const customerId = reg.json().customer.id as string;

    // a guest cart with a contact email, adopted at login, and the customer's shipping address
    const guest = await t.app.inject({ method: 'POST', url: '/api/v1/carts', ...json({}) });
    const cartId = guest.json().id as string;
    expect(
      (await t.app.inject({ method: 'PUT', url: `/api/v1/carts/${cartId}/email`, ...json({ email }) }))
        .statusCode,
    ).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email, password: 'a long password', cartId }),
    });
    expect(login.statusCode, login.body).toBe(200);
    const address = {
      name: 'Grace Hopper',
      line1: '1 Navy Way',
      city: 'Dublin',
      postalCode: 'D02',
      country: 'IE',
      phone: '+353 1 234 5678',
    };
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1/carts/${cartId}/items`,
      ...json({ sku, quantity: 2 }, auth),
    });
    expect(add.statusCode, add.body).toBe(200);
    const shipping = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/carts/${cartId}/shipping`,
      ...json({ address, option: 'standard' }, auth),
    });
    expect(shipping.statusCode, shipping.body).toBe(200);

    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/me/export', headers: auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.json().carts).toEqual([
      expect.objectContaining({
        id: cartId,
        status: 'open',
        email: null, // the guest's contact email is dropped at adoption: the account's applies
        shippingAddress: expect.objectContaining(address),
        items: [{ sku, quantity: 2 }],
      }),
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: auth })).statusCode).toBe(204);
    // CustomerErased reaches the cart context through the outbox (in-process here, Kafka in full mode)
    const row = async () =>
      (
        (await t.runtime.platform.dataSource.query(
          'SELECT email, shipping_address, status, customer_id FROM cart_carts WHERE id = $1',
          [cartId],
        )) as { email: string | null; shipping_address: unknown; status: string; customer_id: string }[]
      )[0]!;
    await waitFor('the cart to be scrubbed', async () => (await row()).shipping_address === null, 10_000);
    expect(await row()).toEqual({
      email: null,
      shipping_address: null,
      status: 'expired',
      customer_id: customerId,
    });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/carts/${cartId}` })).statusCode).toBe(404);
  });
});
