import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { customerOrder, registerCustomer } from '../../support/checkout.js';
import { refuseShipmentsOf } from '../../support/faults.js';
import { shipmentsOf, shipThrough } from '../../support/fulfilment.js';
import { expectProblem, loginAs, shopAdmin } from '../../support/http.js';
import { pollOrder } from '../../support/journey.js';
import { consumerDeliveries } from '../../support/journey-checks.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'dead-letters-admin@shop.example', password: 'admin-password-1' };

interface DeadLetterJson {
  id: string;
  consumerGroup: string;
  topic: string;
  eventId: string | null;
  eventType: string | null;
  error: string;
  attempts: number;
}

describe.skipIf(missing('postgres'))(
  'embedded mode: a poison event is parked in dead_letters and replayed by an admin',
  () => {
    let t: TestApp;
    let admin: Record<string, string>;
    let shop: ReturnType<typeof shopAdmin>;

    beforeAll(async () => {
      // the embedded default's pool of 10
      t = await startTestApp({
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        DB_POOL_SIZE: '10',
      });
      admin = await loginAs(t, ADMIN);
      shop = shopAdmin(t, admin);
    });
    afterAll(async () => t?.close());

    const letters = async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/admin/dead-letters', headers: admin });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items as DeadLetterJson[];
    };
    const replay = (id: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/admin/dead-letters/${id}/replay`, headers: admin });

    it('retries, parks, keeps the stream flowing, refuses a replay while the fault lasts, and completes the journey once fixed', async () => {
      expect(t.runtime.platform.publisher.kind).toBe('in-process');
      const poison = await shop.stockedSku('PARK');
      const healthy = await shop.stockedSku('PARK');
      const fix = await refuseShipmentsOf(t.runtime.platform.dataSource, poison);
      const before = await consumerDeliveries(t);

      const stuck = await customerOrder(t, poison);
      const fine = await customerOrder(t, healthy);
      expect(
        await pollUntil(
          () => shipmentsOf(t, admin, fine.id),
          (s) => s.length === 1,
          20_000,
        ),
      ).toHaveLength(1);
      const [letter] = await pollUntil(letters, (l) => l.length === 1, 20_000);
      expect(letter).toMatchObject({
        consumerGroup: 'fulfilment.orders',
        topic: 'orders.events',
        eventType: 'shopcore.orders.OrderConfirmed.v1',
        attempts: 5,
      });
      expect(letter!.error).toContain('injected fault');
      expect(await shipmentsOf(t, admin, stuck.id)).toEqual([]);
      expect((await consumerDeliveries(t)).deadLettered - before.deadLettered).toBe(1);

      // replayed too early: it fails again, stays parked, and says why
      const early = expectProblem(await replay(letter!.id), 409, 'CONFLICT');
      expect(early.detail).toContain('injected fault');
      expect((await letters())[0]).toMatchObject({ id: letter!.id, attempts: 8 });

      await fix();
      // 100 admins replay it at once: it is handled once; the others find it handled, or gone
      const replayed = await Promise.all(Array.from({ length: 100 }, () => replay(letter!.id)));
      expect(replayed.filter((r) => ![200, 404].includes(r.statusCode)).map((r) => r.body)).toEqual([]);
      const answers = replayed.filter((r) => r.statusCode === 200).map((r) => r.json());
      expect(answers.filter((a) => a.outcome === 'processed')).toEqual([
        { id: letter!.id, outcome: 'processed' },
      ]);
      expect(answers.every((a) => a.outcome === 'processed' || a.outcome === 'duplicate')).toBe(true);
      expect(await letters()).toEqual([]);
      expectProblem(await replay(letter!.id), 404, 'NOT_FOUND');

      const [shipment] = await shipmentsOf(t, admin, stuck.id);
      expect(shipment).toBeDefined();
      await shipThrough(t, admin, shipment!.id, ['pick', 'pack', 'dispatch', 'deliver']);
      await pollOrder(
        t,
        stuck.id,
        stuck.auth,
        (o) => o.status === 'DELIVERED' && o.payment?.status === 'CAPTURED',
        'the replayed order is DELIVERED and its payment CAPTURED',
      );
    });

    it('is for admins only, and answers 400 for a malformed id or cursor', async () => {
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/admin/dead-letters' }),
        401,
        'UNAUTHENTICATED',
      );
      const customer = await registerCustomer(t);
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/admin/dead-letters', headers: customer.auth }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await replay('nope'), 400, 'VALIDATION_FAILED', ['params.id']);
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/admin/dead-letters?cursor=nope', headers: admin }),
        400,
        'VALIDATION_FAILED',
        ['query.cursor'],
      );
    });
  },
);
