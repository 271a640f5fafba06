import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../../src/payments/application/payment-provider.port.js';
import { FakePaymentProvider } from '../../../src/payments/payments.plugin.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, eventsOfOrder, readyCart, uniqueSku } from '../../support/checkout.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'crash-admin@shop.example', password: 'admin-password-1' };
const names = (rows: { type: string }[]) =>
  rows.map((r) => r.type.replace(/^shopcore\.\w+\.(\w+)\.v1$/, '$1'));

/**
 * The process dies between authorization and confirmation: the provider has answered, step 3 never
 * ran. The "external" provider outlives the app (one instance injected into both runtimes); the crash
 * is an authorize that answers the provider's result to nobody — the runtime is closed while it hangs.
 */
const dyingAfterAuthorize = (inner: PaymentProvider) => {
  let died!: () => void;
  const dead = new Promise<void>((resolve) => {
    died = resolve;
  });
  const provider: PaymentProvider = {
    name: inner.name,
    acceptsToken: (token) => inner.acceptsToken(token),
    authorize: async (request, opts) => {
      await inner.authorize(request, opts); // the provider did it ...
      died();
      return new Promise(() => {}); // ... and the process never heard back
    },
    findAuthorization: (key, opts) => inner.findAuthorization(key, opts),
    capture: (request, opts) => inner.capture(request, opts),
    void: (request, opts) => inner.void(request, opts),
    refund: (request, opts) => inner.refund(request, opts),
    verifyWebhook: (body, headers) => inner.verifyWebhook(body, headers),
  };
  return { provider, dead };
};

describe.skipIf(missing('postgres'))(
  'checkout survives a crash between authorization and confirmation',
  () => {
    let db: TestDatabase;
    const psp = new FakePaymentProvider({ webhookSecret: 'crash-test-webhook-secret' });
    const apps: TestApp[] = [];
    const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };

    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      for (const t of apps) await t.close().catch(() => {});
      await db?.drop();
    });

    const crashDuringCheckout = async (token: string) => {
      const dying = dyingAfterAuthorize(psp);
      const first = await startTestApp(env, { db, contexts: { payments: { provider: dying.provider } } });
      apps.push(first);
      const shop = shopAdmin(first, await loginAs(first, ADMIN));
      const sku = uniqueSku('CRASH');
      await shop.createProduct([sku], { name: 'Crash thing' });
      await shop.setPrice(sku, 3300);
      await shop.addStock(sku, 5);
      const cartId = await readyCart(first, { lines: [{ sku, quantity: 2 }] });
      const request = checkout(first, cartId, token); // never answers
      void request.catch(() => {});
      await dying.dead;
      await first.runtime.close(); // the process is gone: no step 3, no worker, no relay
      // what the crash left, read before anything restarts (the new instance's worker is quick)
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT id, status FROM orders_orders WHERE cart_id = $1', [
          cartId,
        ]);
        expect(rows).toHaveLength(1);
        return { sku, cartId, crashed: rows[0] as { id: string; status: string } };
      } finally {
        await client.end();
      }
    };

    const restart = async () => {
      const second = await startTestApp(env, {
        db,
        contexts: {
          payments: { provider: psp },
          checkout: { pendingPayments: { intervalMs: 100, graceMs: 0, baseDelayMs: 50, maxDelayMs: 200 } },
        },
      });
      apps.push(second);
      return second;
    };

    const orderOfCart = async (t: TestApp, cartId: string) => {
      const rows: { id: string; status: string }[] = await t.runtime.platform.dataSource.query(
        'SELECT id, status FROM orders_orders WHERE cart_id = $1',
        [cartId],
      );
      return rows;
    };

    it('an authorized order is confirmed after the restart, with one authorization at the provider and every event published', async () => {
      const { sku, cartId, crashed } = await crashDuringCheckout('tok_visa');
      expect(crashed.status).toBe('PAYMENT_PENDING');
      const second = await restart();
      const orderId = crashed.id;
      expect(psp.authorizationsFor(orderId)).toHaveLength(1);

      const status = await pollUntil(
        async () => (await orderOfCart(second, cartId))[0]?.status,
        (s) => s === 'CONFIRMED',
      );
      expect(status).toBe('CONFIRMED');
      expect(psp.authorizationsFor(orderId)).toHaveLength(1);
      expect(await orderOfCart(second, cartId)).toHaveLength(1);
      const [stock] = await second.runtime.platform.dataSource.query(
        'SELECT sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM inventory_stock WHERE sku = $1',
        [sku],
      );
      expect(stock).toEqual({ on_hand: 5, reserved: 2 });
      expect(names(await eventsOfOrder(second, orderId))).toEqual([
        'OrderPlaced',
        'InventoryReserved',
        'PaymentAuthorized',
        'OrderConfirmed',
      ]);
      // nothing stays in the outbox: the events the dead instance wrote are published by the new one
      const unpublished = await pollUntil(
        async () =>
          (
            await second.runtime.platform.dataSource.query(
              `SELECT count(*)::int AS n FROM outbox WHERE data->>'orderId' = $1 AND published_at IS NULL`,
              [orderId],
            )
          )[0].n as number,
        (n) => n === 0,
      );
      expect(unpublished).toBe(0);
    }, 30_000);

    it('a declined order is compensated after the restart: cancelled, stock back, nothing authorized', async () => {
      const { sku, cartId, crashed: pending } = await crashDuringCheckout('tok_declined');
      expect(pending.status).toBe('PAYMENT_PENDING');
      const second = await restart();
      const status = await pollUntil(
        async () => (await orderOfCart(second, cartId))[0]?.status,
        (s) => s === 'CANCELLED',
      );
      expect(status).toBe('CANCELLED');
      expect(psp.authorizationsFor(pending.id)).toHaveLength(0);
      const [stock] = await second.runtime.platform.dataSource.query(
        'SELECT sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved FROM inventory_stock WHERE sku = $1',
        [sku],
      );
      expect(stock).toEqual({ on_hand: 5, reserved: 0 });
      expect(names(await eventsOfOrder(second, pending.id))).toEqual([
        'OrderPlaced',
        'InventoryReserved',
        'PaymentFailed',
        'InventoryReleased',
        'OrderCancelled',
      ]);
    }, 30_000);
  },
);
