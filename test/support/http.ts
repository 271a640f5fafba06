import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from './app.js';

/** inject() options for a JSON body, with any extra headers. */
export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  payload: JSON.stringify(body),
  headers: { ...headers, 'content-type': 'application/json' },
});

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts an docs/product/api.md problem+json answer; returns its body. */
export const expectProblem = (
  res: LightMyRequestResponse,
  status: number,
  code: string,
  paths?: string[],
) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json();
  expect(body).toMatchObject({ status, code });
  if (paths) expect(body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
  return body as { detail: string; errors?: { path: string; message: string }[] };
};

/** Logs in (e.g. the ADMIN_EMAIL account) and returns its Authorization header. */
export const loginAs = async (t: TestApp, who: { email: string; password: string }) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', ...json(who) });
  expect(res.statusCode, res.body).toBe(200);
  return bearer(res.json().accessToken);
};

let seq = 0;

/**
 * Staff operations through the public admin routes, for tests that need a shop to exist: a product
 * (in its own new category) with given SKUs, their prices, stock in the region's first warehouse.
 */
export const shopAdmin = (t: TestApp, admin: Record<string, string>) => {
  const createProduct = async (
    skus: readonly string[],
    opts: { status?: string; name?: string; description?: string } = {},
  ): Promise<string> => {
    const category = `cat-${seq++}-${Date.now().toString(36)}`;
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/categories',
      ...json({ slug: category, name: 'Test things' }, admin),
    });
    expect(c.statusCode, c.body).toBe(201);
    const p = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/products',
      ...json(
        {
          slug: `product-${category}`,
          name: opts.name ?? 'Test thing',
          description: opts.description ?? 'For a test',
          category,
          attributes: {},
          status: opts.status ?? 'active',
          variants: skus.map((sku, i) => ({ sku, options: { n: String(i) } })),
        },
        admin,
      ),
    });
    expect(p.statusCode, p.body).toBe(201);
    return p.json().id as string;
  };
  const setPrice = async (sku: string, amount: number) => {
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/prices/${sku}`,
      ...json({ amount }, admin),
    });
    expect(r.statusCode, r.body).toBe(200);
  };
  const addStock = async (sku: string, quantity: number) => {
    const warehouses = await t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: admin });
    expect(warehouses.statusCode, warehouses.body).toBe(200);
    const warehouseId = (warehouses.json() as { id: string }[])[0]!.id;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/inventory/adjustments',
      ...json({ sku, warehouseId, delta: quantity, reason: 'test stock' }, admin),
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  /** A new active product of one SKU (`prefix`-…), priced and stocked. */
  const stockedSku = async (prefix: string, amount = 1000, stock = 10) => {
    const sku = `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();
    await createProduct([sku]);
    await setPrice(sku, amount);
    await addStock(sku, stock);
    return sku;
  };
  return { createProduct, setPrice, addStock, stockedSku };
};
