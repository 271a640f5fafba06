import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pollUntil } from '../../test/support/wait.js';
import { type LoadResult, runLoad } from './load.js';

const ADDRESS = {
  name: 'Bench Shopper',
  line1: '1 Load St',
  city: 'Dublin',
  postalCode: 'D01 F5P2',
  country: 'IE',
};

/** Runs `work` over `items` with at most `limit` at a time. */
export const inParallel = async <T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
};

const call = async (base: string, method: string, path: string, body?: unknown): Promise<unknown> => {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
};

/** A guest cart ready to order (lines, shipping address and option, email), through the API. */
export const prepareCart = async (
  base: string,
  lines: { sku: string; quantity: number }[],
): Promise<string> => {
  const { id } = (await call(base, 'POST', '/api/v1/carts')) as { id: string };
  for (const line of lines) await call(base, 'POST', `/api/v1/carts/${id}/items`, line);
  await call(base, 'PUT', `/api/v1/carts/${id}/shipping`, { address: ADDRESS, option: 'standard' });
  await call(base, 'PUT', `/api/v1/carts/${id}/email`, { email: `bench-${id}@example.com` });
  return id;
};

export interface CheckoutPlan {
  carts: number;
  /** well-stocked SKUs (every cart takes one of them) */
  skus: string[];
  /** SKUs with little stock that many carts also take, so that stock runs out during the run */
  hot: { sku: string; stock: number }[];
  /** every how-many-th cart also takes a hot SKU */
  hotEvery: number;
  /** every how-many-th request replays an earlier request (same cart, same Idempotency-Key) */
  replayEvery: number;
}

export interface CheckoutAudit {
  ok: boolean;
  findings: string[];
  facts: Record<string, number>;
}

/**
 * The checkout scenario: prepares guest carts through the API, sets the hot SKUs' stock, then places
 * one order per cart at full concurrency with fresh Idempotency-Keys (and some replays of earlier
 * requests), and audits the database afterwards.
 */
export const runCheckout = async (
  base: string,
  db: pg.Pool,
  plan: CheckoutPlan,
  connections: number,
  progress: (line: string) => void,
): Promise<{ load: LoadResult; audit: CheckoutAudit; prepareSeconds: number }> => {
  const prepStarted = Date.now();
  const cartLines = Array.from({ length: plan.carts }, (_, i) => {
    const lines = [{ sku: plan.skus[i % plan.skus.length] as string, quantity: 1 + (i % 2) }];
    const hot = plan.hot[i % plan.hot.length];
    if (hot && i % plan.hotEvery === 0) lines.push({ sku: hot.sku, quantity: 1 });
    return lines;
  });
  const carts: string[] = [];
  await inParallel(
    cartLines.map((lines, i) => ({ lines, i })),
    32,
    async ({ lines, i }) => {
      carts[i] = await prepareCart(base, lines);
      if (i % 500 === 0) progress(`  prepared ${i}/${plan.carts} carts`);
    },
  );
  // the hot SKUs: a little stock in one warehouse only
  for (const h of plan.hot) {
    await db.query('UPDATE inventory_stock SET on_hand = 0, reserved = 0 WHERE sku = $1', [h.sku]);
    await db.query(
      `UPDATE inventory_stock SET on_hand = $2 WHERE sku = $1
          AND warehouse_id = (SELECT min(warehouse_id::text)::uuid FROM inventory_stock WHERE sku = $1)`,
      [h.sku, h.stock],
    );
  }
  const skus = [...plan.skus, ...plan.hot.map((h) => h.sku)];
  const before = new Map<string, number>(
    (
      await db.query<{ sku: string; on_hand: number; reserved: number }>(
        'SELECT sku, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM inventory_stock WHERE sku = ANY($1) GROUP BY sku',
        [skus],
      )
    ).rows.map((r) => [r.sku, r.on_hand - r.reserved]),
  );
  const prepareSeconds = (Date.now() - prepStarted) / 1000;

  const sent: { cartId: string; key: string }[] = [];
  const load = await runLoad({
    url: base,
    connections,
    amount: plan.carts + Math.floor(plan.carts / plan.replayEvery),
    request: (i) => {
      const replay = i > 0 && i % plan.replayEvery === 0 && sent.length > 0;
      const req = replay
        ? (sent[Math.floor(Math.random() * sent.length)] as { cartId: string; key: string })
        : { cartId: carts[sent.length] as string, key: randomUUID() };
      if (!replay) sent.push(req);
      return {
        method: 'POST',
        path: '/api/v1/orders',
        headers: { 'idempotency-key': req.key },
        body: JSON.stringify({ cartId: req.cartId, payment: { token: 'tok_visa' } }),
      };
    },
    ok: (s) => s === 201,
    // 409: OUT_OF_STOCK once a hot SKU is sold out, or a replay while its first request is in flight
    expected: (s) => s === 409,
  });
  const audit = await auditCheckout(db, skus, before, carts, plan);
  return { load, audit, prepareSeconds };
};

const ORDER_CONFIRMED = 'shopcore.orders.OrderConfirmed.v1';
const ORDER_PLACED = 'shopcore.orders.OrderPlaced.v1';
/** statuses whose orders hold their stock */
const HOLDING = ['CREATED', 'PAYMENT_PENDING', 'PAYMENT_AUTHORIZED', 'CONFIRMED'];

/**
 * After the run: every order settled, no oversell (reserved ≤ on hand; the hot SKUs sold at most their
 * stock), stock taken = units of the orders that hold stock, at most one order per cart (each
 * Idempotency-Key belongs to one cart), every outbox row published, and each order's OrderPlaced and
 * each confirmed order's OrderConfirmed in the outbox.
 */
const auditCheckout = async (
  db: pg.Pool,
  skus: string[],
  before: Map<string, number>,
  carts: string[],
  plan: CheckoutPlan,
): Promise<CheckoutAudit> => {
  const findings: string[] = [];
  const scalar = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number(Object.values((await db.query(sql, params)).rows[0] ?? { n: 0 })[0] ?? 0);

  const settled = await pollUntil(
    async () =>
      (await scalar(
        `SELECT count(*) FROM orders_orders WHERE status IN ('CREATED', 'PAYMENT_PENDING') AND cart_id = ANY($1)`,
        [carts],
      )) === 0,
    (done) => done,
    60_000,
    500,
  );
  if (!settled) findings.push('orders still pending payment 60 s after the run');
  const published = await pollUntil(
    async () => (await scalar('SELECT count(*) FROM outbox WHERE published_at IS NULL')) === 0,
    (done) => done,
    60_000,
    500,
  );
  if (!published) findings.push('outbox rows still unpublished 60 s after the run');

  const stock = await db.query<{ sku: string; on_hand: number; reserved: number; over: number }>(
    `SELECT sku, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved,
            count(*) FILTER (WHERE reserved > on_hand)::int AS over
       FROM inventory_stock WHERE sku = ANY($1) GROUP BY sku`,
    [skus],
  );
  const held = new Map(
    (
      await db.query<{ sku: string; units: number }>(
        `SELECT l.sku, sum(l.quantity)::int AS units FROM orders_lines l JOIN orders_orders o ON o.id = l.order_id
          WHERE o.cart_id = ANY($1) AND o.status = ANY($2) GROUP BY l.sku`,
        [carts, HOLDING],
      )
    ).rows.map((r) => [r.sku, r.units]),
  );
  let oversold = 0;
  let mismatched = 0;
  for (const s of stock.rows) {
    oversold += s.over;
    const taken = (before.get(s.sku) ?? 0) - (s.on_hand - s.reserved);
    if (taken !== (held.get(s.sku) ?? 0)) {
      mismatched++;
      findings.push(`${s.sku}: stock taken ${taken} ≠ ${held.get(s.sku) ?? 0} units in orders holding stock`);
    }
  }
  for (const h of plan.hot) {
    const sold = held.get(h.sku) ?? 0;
    if (sold > h.stock) {
      oversold++;
      findings.push(`${h.sku}: ${sold} units sold of ${h.stock}`);
    }
  }
  if (oversold > 0) findings.push(`${oversold} oversold SKU rows`);

  const duplicates = await scalar(
    `SELECT count(*) FROM (SELECT cart_id FROM orders_orders WHERE cart_id = ANY($1) GROUP BY cart_id HAVING count(*) > 1) d`,
    [carts],
  );
  if (duplicates > 0) findings.push(`${duplicates} carts with more than one order`);
  const orders = await scalar('SELECT count(*) FROM orders_orders WHERE cart_id = ANY($1)', [carts]);
  const confirmed = await scalar(
    `SELECT count(*) FROM orders_orders WHERE cart_id = ANY($1) AND status = 'CONFIRMED'`,
    [carts],
  );
  const noPlaced = await scalar(
    `SELECT count(*) FROM orders_orders o WHERE o.cart_id = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.type = $2 AND e.subject = o.id::text)`,
    [carts, ORDER_PLACED],
  );
  const noConfirmed = await scalar(
    `SELECT count(*) FROM orders_orders o WHERE o.cart_id = ANY($1) AND o.status = 'CONFIRMED'
        AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.type = $2 AND e.subject = o.id::text)`,
    [carts, ORDER_CONFIRMED],
  );
  if (noPlaced + noConfirmed > 0) findings.push(`${noPlaced + noConfirmed} orders without their event`);
  return {
    ok: findings.length === 0,
    findings,
    facts: {
      orders,
      confirmed,
      oversold,
      duplicates,
      mismatched,
      missingEvents: noPlaced + noConfirmed,
      // 1: every outbox row written until the audit was published (rows written after it — fulfilment
      // reacting to the confirmations — keep coming and are not waited for)
      outboxDrained: published ? 1 : 0,
    },
  };
};
