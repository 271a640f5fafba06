import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { ADDRESS, uniqueSku } from '../../support/checkout.js';
import { json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { listenOnLoopback, type SocketAnswer, socketClient } from '../../support/socket.js';
import { pollUntil, retryBackoff } from '../../support/wait.js';

/**
 * ADR 0009, "After the effect": a request the pool sheds (503) did nothing, and a retry with its same
 * Idempotency-Key applies it at most once — whatever the request does after its effect (rendering its
 * answer, storing it) runs on the connection it already holds, and the answer is stored in the
 * transaction of the effect. 100 concurrent callers on the embedded default's pool of 10, made to shed
 * hard (beyond 20 callers waiting for a connection, a request is refused at once), over a real socket;
 * every answer of 500 or more is retried with the same key until the key settles.
 */
const ADMIN = { email: 'shed-admin@shop.example', password: 'admin-password-1' };
const CALLERS = 100;

describe.skipIf(missing('postgres'))(
  'shed requests did nothing; retried keys apply once (pool of 10, shedding)',
  () => {
    let t: TestApp;
    let call: ReturnType<typeof socketClient>;
    let db: pg.Client;
    let admin: Record<string, string>;
    const sku = uniqueSku('SHED');

    beforeAll(async () => {
      t = await startTestApp({
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        DB_POOL_SIZE: '10',
        DB_POOL_MAX_WAITING: '20',
      });
      admin = await loginAs(t, ADMIN);
      const shop = shopAdmin(t, admin);
      await shop.createProduct([sku], { name: 'Shed thing' });
      await shop.setPrice(sku, 990);
      await shop.addStock(sku, 10_000);
      call = socketClient(await listenOnLoopback(t.app));
      // reads of the test's own, on a connection outside the app's pool
      db = new pg.Client({ connectionString: t.db.url });
      await db.connect();
    });
    afterAll(async () => {
      await db?.end();
      await t?.close();
    });

    /**
     * Sends with one key until it gets an answer below 500, backing off as a client should (exponential,
     * jittered, at most Retry-After); every answer seen, in order.
     */
    const untilSettled = async (send: (key: string) => Promise<SocketAnswer>) => {
      const key = randomUUID();
      const seen: SocketAnswer[] = [];
      for (let attempt = 0; attempt < 40; attempt++) {
        const answer = await send(key);
        seen.push(answer);
        if (answer.status < 500) return { key, seen, last: answer };
        expect(answer.status, JSON.stringify(answer.body)).toBe(503);
        await retryBackoff(attempt);
      }
      throw new Error(`key ${key} never settled: ${seen.map((s) => s.status).join(' ')}`);
    };

    const shedCount = (runs: { seen: SocketAnswer[] }[]) => runs.reduce((n, r) => n + r.seen.length - 1, 0);

    it('100 concurrent adds of one unit to one cart, each retried with its key: the line holds exactly the keys that ended 2xx', async () => {
      const cart = await call('POST', '/api/v1/carts');
      expect(cart.status).toBe(201);
      const id = cart.body.id as string;
      const runs = await Promise.all(
        Array.from({ length: CALLERS }, () =>
          untilSettled((key) =>
            call('POST', `/api/v1/carts/${id}/items`, { sku, quantity: 1 }, { 'idempotency-key': key }),
          ),
        ),
      );
      const accepted = runs.filter((r) => r.last.status === 200);
      const refused = runs.filter((r) => r.last.status !== 200);
      // a line holds at most 99: whatever was shed and retried, the 100th unit is the one refused
      expect(refused.map((r) => `${r.last.status} ${r.last.body.code}`)).toEqual(['409 CONFLICT']);
      expect(accepted).toHaveLength(CALLERS - 1);
      const quantity = async () =>
        ((await call('GET', `/api/v1/carts/${id}`)).body.items as { sku: string; quantity: number }[]).find(
          (l) => l.sku === sku,
        )?.quantity;
      expect(await quantity()).toBe(accepted.length);
      // the pool did shed (else this test proves nothing about a shed request)
      expect(shedCount(runs)).toBeGreaterThan(0);

      // a key that ended 2xx replays its answer and adds nothing
      const again = await call(
        'POST',
        `/api/v1/carts/${id}/items`,
        { sku, quantity: 1 },
        { 'idempotency-key': accepted[0]!.key },
      );
      expect(again.status).toBe(200);
      expect(again.replayed).toBe(true);
      expect(again.body).toEqual(accepted[0]!.last.body);
      expect(await quantity()).toBe(accepted.length);
    }, 60_000);

    /** `count` guest carts of one unit, ready to order (made one by one, before the burst). */
    const readyCarts = async (count: number) => {
      const carts: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = (await t.app.inject({ method: 'POST', url: '/api/v1/carts' })).json().id as string;
        for (const [method, url, body] of [
          ['POST', `/api/v1/carts/${id}/items`, { sku, quantity: 1 }],
          ['PUT', `/api/v1/carts/${id}/shipping`, { address: ADDRESS, option: 'standard' }],
          ['PUT', `/api/v1/carts/${id}/email`, { email: `shed${i}@example.com` }],
        ] as const) {
          const r = await t.app.inject({ method, url, ...json(body) });
          expect(r.statusCode, r.body).toBe(200);
        }
        carts.push(id);
      }
      return carts;
    };

    it('100 concurrent checkouts of 100 carts, then 100 concurrent dispatches, each retried with its key: every key applied once, every 503 without an effect', async () => {
      const carts = await readyCarts(CALLERS);
      const placed = await Promise.all(
        carts.map((cartId) =>
          untilSettled((key) =>
            call(
              'POST',
              '/api/v1/orders',
              { cartId, payment: { token: 'tok_visa' } },
              { 'idempotency-key': key },
            ),
          ),
        ),
      );
      expect(
        placed
          .filter((p) => p.last.status !== 201 && p.last.status !== 202)
          .map((p) => JSON.stringify(p.last)),
      ).toEqual([]);
      // one order per cart, and it is the one its key answered
      const { rows } = await db.query<{ cart_id: string; id: string; n: number }>(
        `SELECT cart_id, min(id::text) AS id, count(*)::int AS n FROM orders_orders
        WHERE cart_id = ANY($1::uuid[]) GROUP BY cart_id`,
        [carts],
      );
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      const orderOfCart = new Map(rows.map((r) => [r.cart_id, r.id]));
      expect(placed.map((p) => p.last.body.id)).toEqual(carts.map((c) => orderOfCart.get(c)));
      expect(shedCount(placed)).toBeGreaterThan(0);
      // a retried key replays; it places nothing
      const replay = await call(
        'POST',
        '/api/v1/orders',
        { cartId: carts[0], payment: { token: 'tok_visa' } },
        { 'idempotency-key': placed[0]!.key },
      );
      expect(replay.replayed).toBe(true);
      expect(replay.body.id).toBe(placed[0]!.last.body.id);

      // their shipments (the worker confirms any 202 shortly), picked and packed
      const orders = placed.map((p) => p.last.body.id as string);
      const fulfilment = t.runtime.modules.fulfilment.facade;
      const shipments = await pollUntil(
        async () => [...(await fulfilment.shipmentsOf(orders)).values()].flat(),
        (all) => all.length === orders.length,
        60_000,
      );
      const ids = shipments.map((s) => s.id);
      for (const step of ['pick', 'pack']) {
        for (const id of ids) {
          const r = await t.app.inject({
            method: 'POST',
            url: `/api/v1/admin/shipments/${id}/${step}`,
            headers: admin,
          });
          expect(r.statusCode, r.body).toBe(200);
        }
      }
      const dispatched = await Promise.all(
        ids.map((id) =>
          untilSettled((key) =>
            call('POST', `/api/v1/admin/shipments/${id}/dispatch`, undefined, {
              ...admin,
              'idempotency-key': key,
            }),
          ),
        ),
      );
      expect(dispatched.filter((d) => d.last.status !== 200).map((d) => JSON.stringify(d.last))).toEqual([]);
      expect(shedCount(dispatched)).toBeGreaterThan(0);
      // each shipment dispatched once: one history entry, one event, the tracking number its key answered
      const events = await db.query<{ subject: string; n: number }>(
        `SELECT subject, count(*)::int AS n FROM outbox WHERE type LIKE '%ShipmentDispatched%' AND subject = ANY($1)
        GROUP BY subject`,
        [ids],
      );
      expect(events.rows.filter((e) => e.n !== 1)).toEqual([]);
      expect(events.rows).toHaveLength(ids.length);
      const tracking = await db.query<{ id: string; tracking_number: string }>(
        'SELECT id, tracking_number FROM fulfilment_shipments WHERE id = ANY($1::uuid[])',
        [ids],
      );
      const trackingOf = new Map(tracking.rows.map((r) => [r.id, r.tracking_number]));
      expect(dispatched.map((d) => d.last.body.trackingNumber)).toEqual(ids.map((id) => trackingOf.get(id)));
    }, 120_000);
  },
);
