import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { replayDeadLetters } from '../../../src/platform/messaging/dead-letter-replay.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { customerOrder } from '../../support/checkout.js';
import { refuseShipmentsOf } from '../../support/faults.js';
import { shipmentsOf, shipThrough } from '../../support/fulfilment.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { pollOrder } from '../../support/journey.js';
import { consumerDeliveries } from '../../support/journey-checks.js';
import { consumeUntil } from '../../support/kafka.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'dlq-admin@shop.example', password: 'admin-password-1' };

describe.skipIf(missing('postgres', 'kafka'))(
  'a poison event: parked, the stream flows on, replayed once fixed',
  () => {
    const prefix = `dlq${randomBytes(3).toString('hex')}.`;
    let t: TestApp;
    let admin: Record<string, string>;
    let shop: ReturnType<typeof shopAdmin>;
    let kafka: Kafka;

    beforeAll(async () => {
      t = await startTestApp(
        {
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          KAFKA_TOPIC_PREFIX: prefix,
        },
        { kafka: true },
      );
      admin = await loginAs(t, ADMIN);
      shop = shopAdmin(t, admin);
      kafka = new Kafka({
        clientId: 'dlq-test',
        brokers: inject('kafkaBrokers')!.split(','),
        logLevel: logLevel.NOTHING,
      });
    });
    afterAll(async () => t?.close());

    it('retries the failing handler, parks the event in orders.events.dlq, and keeps the stream flowing', async () => {
      const poison = await shop.stockedSku('DLQ');
      const healthy = await shop.stockedSku('DLQ');
      const fix = await refuseShipmentsOf(t.runtime.platform.dataSource, poison);
      const before = await consumerDeliveries(t);

      const stuck = await customerOrder(t, poison);
      const fine = await customerOrder(t, healthy);

      // the order placed after the poisoned one gets its shipment: its partition did not stall
      const flowing = await pollUntil(
        () => shipmentsOf(t, admin, fine.id),
        (s) => s.length === 1,
        20_000,
      );
      expect(flowing).toHaveLength(1);
      const parked = await consumeUntil(kafka, [`${prefix}orders.events.dlq`], (msgs) =>
        msgs.some((m) => m.headers.ce_subject === stuck.id),
      );
      const letter = parked.find((m) => m.headers.ce_subject === stuck.id)!;
      expect(letter.key).toBe(stuck.id);
      expect(letter.headers).toMatchObject({
        ce_type: 'shopcore.orders.OrderConfirmed.v1',
        'x-attempts': '5',
        'x-consumer-group': `${prefix}fulfilment.orders`,
      });
      expect(letter.headers['x-error']).toContain('injected fault');
      expect(JSON.parse(letter.value!)).toMatchObject({ orderId: stuck.id });
      expect(await shipmentsOf(t, admin, stuck.id)).toEqual([]);
      expect((await consumerDeliveries(t)).deadLettered - before.deadLettered).toBe(1);

      // the fault is fixed; the parked message is replayed as docs/runbook.md says
      await fix();
      const replay = await replayDeadLetters({
        brokers: inject('kafkaBrokers')!.split(','),
        clientId: `dlq-replay-${randomUUID()}`,
        topicPrefix: prefix,
        idempotent: false,
        createTopics: false,
        logger: t.runtime.platform.logger,
        dlqTopic: `${prefix}orders.events.dlq`,
        select: { eventIds: [letter.headers.ce_id!] },
      });
      expect(replay.replayed).toEqual([
        expect.objectContaining({ eventId: letter.headers.ce_id, group: `${prefix}fulfilment.orders` }),
      ]);
      expect(replay.topic).toBe(`${prefix}orders.events`);

      // … and the journey completes: shipment, pick, pack, dispatch (capture, SHIPPED), deliver
      const [shipment] = await pollUntil(
        () => shipmentsOf(t, admin, stuck.id),
        (s) => s.length === 1,
        20_000,
      );
      expect(shipment).toBeDefined();
      await shipThrough(t, admin, shipment!.id, ['pick', 'pack', 'dispatch', 'deliver']);
      await pollOrder(
        t,
        stuck.id,
        stuck.auth,
        (o) => o.status === 'DELIVERED' && o.payment?.status === 'CAPTURED',
        'the replayed order is DELIVERED and its payment CAPTURED',
      );
      // the other groups had handled the event already: nothing else happened twice
      expect((await consumerDeliveries(t)).deadLettered - before.deadLettered).toBe(1);
      const confirmed = await t.runtime.platform.dataSource.query(
        `SELECT count(*)::int AS n FROM orders_status_history WHERE order_id = $1 AND status = 'CONFIRMED'`,
        [stuck.id],
      );
      expect(confirmed[0].n).toBe(1);
    });
  },
);
