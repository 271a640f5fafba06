import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'inventory-admin@shop.example', password: 'admin-password-1' };
const MANAGER = { email: 'stock-keeper@shop.example', password: 'manager-password-1' };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();

describe.skipIf(missing('postgres'))('inventory admin API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let manager: Record<string, string>;
  let customer: Record<string, string>;
  let warehouses: { id: string; code: string; name: string }[];
  const wh = (code: string) => warehouses.find((w) => w.code === code)!.id;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', ...json(ADMIN) });
    expect(login.statusCode).toBe(200);
    admin = bearer(login.json().accessToken);
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      ...json({ ...MANAGER, name: 'Stock Keeper', roles: ['inventory_manager'] }, admin),
    });
    expect(staff.statusCode).toBe(201);
    const mgr = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', ...json(MANAGER) });
    expect(mgr.statusCode).toBe(200);
    manager = bearer(mgr.json().accessToken);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({
        email: `inventory-shopper-${Date.now()}@example.com`,
        password: 'correct horse battery',
        name: 'Shopper',
      }),
    });
    expect(reg.statusCode).toBe(201);
    customer = bearer(reg.json().accessToken);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: manager });
    expect(res.statusCode).toBe(200);
    warehouses = res.json();
  });
  afterAll(async () => t?.close());

  /** a SKU of a new product in the catalog (stock is only kept for SKUs the catalog knows) */
  const known = async (prefix: string, status = 'active') => {
    const sku = unique(prefix);
    await shopAdmin(t, admin).createProduct([sku], { status });
    return sku;
  };
  const adjust = (body: unknown, headers = manager) =>
    t.app.inject({ method: 'POST', url: '/api/v1/admin/inventory/adjustments', ...json(body, headers) });
  const stockOf = (sku: string, headers = manager) =>
    t.app.inject({ method: 'GET', url: `/api/v1/admin/inventory/${sku}`, headers });
  const movements = (sku: string, query = '', headers = manager) =>
    t.app.inject({ method: 'GET', url: `/api/v1/admin/inventory/${sku}/movements${query}`, headers });
  const expectProblem = (
    res: Awaited<ReturnType<typeof stockOf>>,
    status: number,
    code: string,
    paths?: string[],
  ) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status, code });
    if (paths)
      expect(body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(paths));
    return body;
  };

  it("lists the region's warehouses from its preset", async () => {
    expect(warehouses.map((w) => [w.code, w.name])).toEqual([
      ['DUB', 'Dublin'],
      ['FRA', 'Frankfurt'],
    ]);
    for (const w of warehouses) expect(w.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: admin });
    expect(again.json()).toEqual(warehouses);
  });

  it('lets an inventory manager adjust stock, records the movement and writes StockAdjusted', async () => {
    const sku = await known('ADJ');
    const res = await adjust({ sku, warehouseId: wh('FRA'), delta: 12, reason: 'goods received' });
    expect(res.statusCode).toBe(201);
    const movement = res.json();
    expect(movement).toMatchObject({
      sku,
      warehouseId: wh('FRA'),
      kind: 'adjustment',
      delta: 12,
      reservedDelta: 0,
      reason: 'goods received',
      orderId: null,
      onHandAfter: 12,
      reservedAfter: 0,
    });
    expect(movement.actor).toMatch(/^[0-9a-f-]{36}$/);
    const down = await adjust({ sku, warehouseId: wh('FRA'), delta: -2, reason: 'damaged' }, admin);
    expect(down.statusCode).toBe(201);
    expect(down.json()).toMatchObject({ delta: -2, onHandAfter: 10 });

    const stock = await stockOf(sku);
    expect(stock.statusCode).toBe(200);
    expect(stock.json()).toEqual({
      sku,
      warehouses: [
        { warehouseId: wh('DUB'), code: 'DUB', onHand: 0, reserved: 0, available: 0 },
        { warehouseId: wh('FRA'), code: 'FRA', onHand: 10, reserved: 0, available: 10 },
      ],
      totalAvailable: 10,
    });

    const events: { type: string; subject: string; source: string; data: Record<string, unknown> }[] =
      await t.runtime.platform.dataSource.query(
        `SELECT type, subject, source, data FROM outbox WHERE context = 'inventory' AND subject = $1 ORDER BY seq`,
        [sku],
      );
    expect(events.map((e) => e.type)).toEqual([
      'shopcore.inventory.StockAdjusted.v1',
      'shopcore.inventory.StockAdjusted.v1',
    ]);
    expect(events[0]!.source).toBe('urn:shopcore:eu:inventory');
    expect(events.map((e) => e.data)).toEqual([
      { sku, warehouseId: wh('FRA'), delta: 12, onHand: 12, reason: 'goods received' },
      { sku, warehouseId: wh('FRA'), delta: -2, onHand: 10, reason: 'damaged' },
    ]);
  });

  it('rejects an adjustment below what is reserved (or below zero) with 409', async () => {
    const sku = await known('HELD');
    expectProblem(await adjust({ sku, warehouseId: wh('DUB'), delta: -1, reason: 'count' }), 409, 'CONFLICT');
    expect((await adjust({ sku, warehouseId: wh('DUB'), delta: 5, reason: 'received' })).statusCode).toBe(
      201,
    );
    const reserved = await t.runtime.modules.inventory.facade.reserve(crypto.randomUUID(), [
      { sku, quantity: 4 },
    ]);
    expect(reserved.ok).toBe(true);
    expectProblem(await adjust({ sku, warehouseId: wh('DUB'), delta: -2, reason: 'count' }), 409, 'CONFLICT');
    expect((await adjust({ sku, warehouseId: wh('DUB'), delta: -1, reason: 'count' })).statusCode).toBe(201);
    expect((await stockOf(sku)).json().warehouses[0]).toMatchObject({ onHand: 4, reserved: 4, available: 0 });
    expect((await movements(sku)).json().items).toHaveLength(3); // received, reservation, count
  });

  it('answers 404 for a SKU the catalog does not know, and writes nothing', async () => {
    const sku = unique('NOT-IN-CATALOG');
    expectProblem(
      await adjust({ sku, warehouseId: wh('FRA'), delta: 5, reason: 'received' }),
      404,
      'NOT_FOUND',
    );
    // nor is it read: 404 as for a price (was 200 with zeros)
    expectProblem(await stockOf(sku), 404, 'NOT_FOUND');
    expect((await movements(sku)).json().items).toEqual([]);
    const events: unknown[] = await t.runtime.platform.dataSource.query(
      `SELECT 1 FROM outbox WHERE context = 'inventory' AND subject = $1`,
      [sku],
    );
    expect(events).toEqual([]);
    // the body is validated first: a malformed request is 400 whatever the SKU
    expectProblem(
      await adjust({ sku, warehouseId: crypto.randomUUID(), delta: 5, reason: 'x' }),
      400,
      'VALIDATION_FAILED',
      ['warehouseId'],
    );
  });

  it('keeps stock for SKUs of draft and archived products too (the catalog knows them)', async () => {
    const draft = await known('DRAFT', 'draft');
    expect(
      (await adjust({ sku: draft, warehouseId: wh('DUB'), delta: 3, reason: 'pre-launch count' })).statusCode,
    ).toBe(201);
    const archivedSku = unique('ARCHIVED');
    const id = await shopAdmin(t, admin).createProduct([archivedSku]);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/products/${id}`, headers: admin }))
        .statusCode,
    ).toBe(204);
    expect(
      (await adjust({ sku: archivedSku, warehouseId: wh('DUB'), delta: 2, reason: 'found' })).statusCode,
    ).toBe(201);
  });

  it('validates adjustments, listing every offending field', async () => {
    const sku = unique('BAD');
    expectProblem(
      await adjust({ sku: ' no', warehouseId: 'nope', delta: 0.5, reason: '' }),
      400,
      'VALIDATION_FAILED',
      ['sku', 'warehouseId', 'delta', 'reason'],
    );
    expectProblem(
      await adjust({ sku, warehouseId: wh('FRA'), delta: 0, reason: 'x' }),
      400,
      'VALIDATION_FAILED',
      ['delta'],
    );
    expectProblem(
      await adjust({ sku, warehouseId: wh('FRA'), delta: 1_000_001, reason: 'x'.repeat(201) }),
      400,
      'VALIDATION_FAILED',
      ['delta', 'reason'],
    );
    expectProblem(
      await adjust({ sku, warehouseId: wh('FRA'), delta: 1, reason: 'x', extra: true }),
      400,
      'VALIDATION_FAILED',
    );
    // a UUID that is not a warehouse of this region
    expectProblem(
      await adjust({ sku, warehouseId: crypto.randomUUID(), delta: 1, reason: 'x' }),
      400,
      'VALIDATION_FAILED',
      ['warehouseId'],
    );
    expectProblem(await stockOf('-bad'), 400, 'VALIDATION_FAILED');
    expectProblem(await movements(sku, '?limit=0'), 400, 'VALIDATION_FAILED');
    expectProblem(await movements(sku, '?cursor=garbage'), 400, 'VALIDATION_FAILED');
  });

  it('answers zeros in every warehouse for a SKU the catalog knows that never had stock', async () => {
    const res = await stockOf(await known('NEVER', 'draft'));
    expect(res.statusCode).toBe(200);
    expect(res.json().warehouses).toHaveLength(2);
    expect(res.json().totalAvailable).toBe(0);
    expect((await movements(unique('NEVER'))).json()).toEqual({ items: [], nextCursor: null });
  });

  it('pages the ledger newest first', async () => {
    const sku = await known('PAGE');
    for (let i = 1; i <= 5; i++) {
      expect(
        (await adjust({ sku, warehouseId: wh('DUB'), delta: i, reason: `delivery ${i}` })).statusCode,
      ).toBe(201);
    }
    const first = await movements(sku, '?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((m: { reason: string }) => m.reason)).toEqual(['delivery 5', 'delivery 4']);
    const second = await movements(sku, `?limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json().items.map((m: { reason: string }) => m.reason)).toEqual([
      'delivery 3',
      'delivery 2',
    ]);
    const third = await movements(sku, `?limit=2&cursor=${second.json().nextCursor}`);
    expect(third.json()).toMatchObject({ nextCursor: null });
    expect(third.json().items.map((m: { onHandAfter: number }) => m.onHandAfter)).toEqual([1]);
  });

  it('is for staff only: customers get 403, anonymous callers 401', async () => {
    const sku = unique('RBAC');
    const calls = [
      (h: Record<string, string>) =>
        t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: h }),
      (h: Record<string, string>) => adjust({ sku, warehouseId: wh('FRA'), delta: 1, reason: 'x' }, h),
      (h: Record<string, string>) => stockOf(sku, h),
      (h: Record<string, string>) => movements(sku, '', h),
    ];
    for (const call of calls) {
      expectProblem(await call(customer), 403, 'FORBIDDEN');
      expectProblem(await call({}), 401, 'UNAUTHENTICATED');
    }
    expectProblem(await stockOf(sku), 404, 'NOT_FOUND'); // nothing was adjusted into existence
  });

  it('documents every inventory route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/admin/warehouses',
        '/api/v1/admin/inventory/adjustments',
        '/api/v1/admin/inventory/{sku}',
        '/api/v1/admin/inventory/{sku}/movements',
      ]),
    );
  });
});
