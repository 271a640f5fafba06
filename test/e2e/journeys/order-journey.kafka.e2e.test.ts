import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { ADDRESS } from '../../support/checkout.js';
import { type JourneyResult, type JourneyShop, openJourneyShop, runJourney } from '../../support/journey.js';
import {
  consumerDeliveries,
  deliveriesOf,
  expectValidEvent,
  JOURNEY_TYPES,
  journeySnapshot,
  typeCounts,
  waitUntilQuiet,
} from '../../support/journey-checks.js';
import { consumeUntil, type Received } from '../../support/kafka.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'journey-kafka-admin@shop.example', password: 'admin-password-1' };
const TOPICS = ['identity', 'orders', 'inventory', 'pricing', 'payments', 'fulfilment'];

describe.skipIf(missing('postgres', 'kafka'))(
  'the order journey with KAFKA_BROKERS set (events through Kafka)',
  () => {
    const prefix = `journey${randomBytes(3).toString('hex')}.`;
    let t: TestApp;
    let kafka: Kafka;
    let producer: Producer;
    let shop: JourneyShop;
    let journey: JourneyResult;
    let events: Received[] = [];

    beforeAll(async () => {
      t = await startTestApp(
        { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, KAFKA_TOPIC_PREFIX: prefix },
        { kafka: true },
      );
      kafka = new Kafka({
        clientId: 'journey-reader',
        brokers: inject('kafkaBrokers')!.split(','),
        logLevel: logLevel.NOTHING,
      });
      producer = kafka.producer();
      await producer.connect();
    });
    afterAll(async () => {
      await producer?.disconnect();
      await t?.close();
    });

    /** The journey's messages among those read: about its order, its shipments or its customer. */
    const ofJourney = (received: Received[]) =>
      received.filter((m) => {
        const data = JSON.parse(m.value ?? '{}') as { orderId?: string };
        return (
          data.orderId === journey.orderId ||
          journey.shipmentIds.includes(m.headers.ce_subject ?? '') ||
          m.headers.ce_subject === journey.customer.id
        );
      });

    it('register → browse → search → cart → coupon → shipping → order → ship → deliver, through Kafka', async () => {
      expect(t.runtime.platform.publisher.kind).toBe('kafka');
      shop = await openJourneyShop(t, ADMIN);
      journey = await runJourney(t, shop);
      await waitUntilQuiet(t);
      expect((await consumerDeliveries(t)).deadLettered).toBe(0);
    });

    it('publishes the journey’s events as docs/product/events.md and docs/asyncapi.yaml describe them', async () => {
      expect(journey, 'the journey ran').toBeDefined();
      const expected = Object.values(JOURNEY_TYPES).reduce((a, n) => a + n, 0);
      const received = await consumeUntil(
        kafka,
        TOPICS.map((c) => `${prefix}${c}.events`),
        (msgs) => ofJourney(msgs).length >= expected,
      );
      events = ofJourney(received);
      expect(typeCounts(events.map((m) => m.headers.ce_type!))).toEqual(JOURNEY_TYPES);
      const personal = [journey.customer.email, 'Journey Shopper', ADDRESS.line1, ADDRESS.postalCode];
      for (const message of events) expectValidEvent(message, prefix, 'eu', personal);
      // one aggregate's events in commit order: the order's statuses, each shipment's steps
      const ofSubject = (id: string, context: string) =>
        events
          .filter((m) => m.headers.ce_subject === id && m.topic === `${prefix}${context}.events`)
          .map((m) => m.headers.ce_type!.split('.')[2]);
      expect(ofSubject(journey.orderId, 'orders')).toEqual([
        'OrderPlaced',
        'OrderConfirmed',
        'OrderShipped',
        'OrderDelivered',
      ]);
      for (const id of journey.shipmentIds) {
        expect(ofSubject(id, 'fulfilment')).toEqual([
          'ShipmentCreated',
          'ShipmentPicked',
          'ShipmentPacked',
          'ShipmentDispatched',
          'ShipmentDelivered',
        ]);
      }
      const dispatched = events.filter(
        (m) => m.headers.ce_type === 'shopcore.fulfilment.ShipmentDispatched.v1',
      );
      expect(dispatched.map((m) => JSON.parse(m.value!).trackingNumber).sort()).toEqual(
        [...journey.trackingNumbers].sort(),
      );
    });

    it('redelivering every event of the journey (same ce_id) changes nothing', async () => {
      expect(events.length, 'the journey’s events were read').toBeGreaterThan(0);
      await waitUntilQuiet(t);
      const before = await journeySnapshot(t, shop, journey);
      const counted = await consumerDeliveries(t);
      // the same messages again — key, value and every header — as a broker redelivery would bring them
      for (const m of events) {
        await producer.send({
          topic: m.topic,
          messages: [{ key: m.key ?? null, value: m.value ?? null, headers: m.headers }],
        });
      }
      const due = deliveriesOf(
        t,
        events.map((m) => ({ context: m.topic.slice(prefix.length).replace(/\.events$/, '') })),
      );
      const after = await pollUntil(
        () => consumerDeliveries(t),
        (d) => d.all - counted.all >= due,
        20_000,
      );
      expect(after.all - counted.all).toBeGreaterThanOrEqual(due);
      expect(after.processed).toBe(counted.processed);
      expect(after.duplicate).toBeGreaterThan(counted.duplicate);
      expect(await journeySnapshot(t, shop, journey)).toEqual(before);
    });
  },
);
