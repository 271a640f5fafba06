import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/platform/logging/logger.js';
import { fromKafkaMessage } from '../../src/platform/messaging/cloudevents.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import {
  KafkaEventPublisher,
  type KafkaOptions,
} from '../../src/platform/messaging/kafka-event-publisher.js';
import { consumeUntil } from '../support/kafka.js';
import { missing } from '../support/skip.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A TCP port on loopback that nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
};

describe.skipIf(missing('kafka'))('KafkaEventPublisher (real broker)', () => {
  const brokers = (inject('kafkaBrokers') ?? '').split(',');
  const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
  const run = randomBytes(4).toString('hex');
  const options = (over: Partial<KafkaOptions> = {}): KafkaOptions => ({
    brokers,
    clientId: `shopcore-test-${run}`,
    topicPrefix: `t${run}.`,
    idempotent: false,
    createTopics: true,
    logger,
    ...over,
  });
  const reader = new Kafka({ clientId: `reader-${run}`, brokers, logLevel: logLevel.NOTHING });
  const publishers: KafkaEventPublisher[] = [];
  const publisher = (over: Partial<KafkaOptions> = {}): KafkaEventPublisher => {
    const p = new KafkaEventPublisher(options(over));
    publishers.push(p);
    return p;
  };

  const event = (context: string, name: string, subject: string, data: Record<string, unknown>) =>
    ({
      id: randomUUID(),
      context,
      type: `shopcore.${context}.${name}.v1`,
      source: `urn:shopcore:eu:${context}`,
      subject,
      time: new Date().toISOString(),
      data,
    }) satisfies IntegrationEvent;

  afterAll(async () => {
    await Promise.all(publishers.map((p) => p.close()));
  });

  it('publishes CloudEvents in binary mode to <prefix><context>.events, keyed by subject, in order per subject', async () => {
    const p = publisher();
    await p.connect(); // createTopics: created on a real broker, tolerated where CreateTopics is unsupported
    const orderA = `ord_a_${run}`;
    const orderB = `ord_b_${run}`;
    const events: IntegrationEvent[] = [
      event('orders', 'OrderPlaced', orderA, { orderId: orderA, number: 'EU-1', total: 1200 }),
      event('orders', 'OrderPlaced', orderB, { orderId: orderB, number: 'EU-2', total: 990 }),
      event('orders', 'OrderConfirmed', orderA, { orderId: orderA, number: 'EU-1' }),
      {
        ...event('payments', 'PaymentCaptured', `pay_${run}`, { paymentId: `pay_${run}`, orderId: orderA }),
        traceparent: TRACEPARENT,
      },
      event('orders', 'OrderCancelled', orderB, { orderId: orderB, number: 'EU-2', reason: 'customer' }),
      event('orders', 'OrderShipped', orderA, { orderId: orderA, number: 'EU-1' }),
    ];
    await p.publish(events.slice(0, 3));
    await p.publish(events.slice(3));

    const ids = new Set(events.map((e) => e.id));
    const received = await consumeUntil(
      reader,
      [`t${run}.orders.events`, `t${run}.payments.events`],
      (r) => r.filter((m) => ids.has(m.headers.ce_id ?? '')).length === events.length,
    );

    for (const e of events) {
      const m = received.find((r) => r.headers.ce_id === e.id);
      expect(m, e.type).toBeDefined();
      expect(m!.topic).toBe(`t${run}.${e.context}.events`);
      expect(m!.key).toBe(e.subject);
      expect(JSON.parse(m!.value ?? '')).toEqual(e.data);
      const expected: Record<string, string> = {
        ce_specversion: '1.0',
        ce_id: e.id,
        ce_source: `urn:shopcore:eu:${e.context}`,
        ce_type: e.type,
        ce_subject: e.subject,
        ce_time: e.time,
        'content-type': 'application/json',
      };
      if (e.traceparent) expected.traceparent = e.traceparent;
      expect(m!.headers).toEqual(expected);
      expect(m!.headers.ce_id).toMatch(UUID);
      expect(m!.headers.ce_time).toMatch(RFC3339);
      expect(fromKafkaMessage(m!.topic, { ...m!, value: m!.value ?? null })).toEqual(e);
    }

    // One aggregate's events share a partition and keep their order.
    for (const subject of [orderA, orderB]) {
      const mine = received.filter((m) => m.key === subject);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => m.headers.ce_id)).toEqual(
        events.filter((e) => e.subject === subject).map((e) => e.id),
      );
    }
  });

  it('uses the bare topic names when no prefix is configured', async () => {
    const p = publisher({ topicPrefix: '', createTopics: false });
    const e = event('identity', 'CustomerRegistered', `cus_${run}`, { customerId: `cus_${run}` });
    await p.publish([e]); // connects on first use
    const received = await consumeUntil(reader, ['identity.events'], (r) =>
      r.some((m) => m.headers.ce_id === e.id),
    );
    const m = received.find((r) => r.headers.ce_id === e.id)!;
    expect(m.topic).toBe('identity.events');
    expect(m.key).toBe(e.subject);
  });

  it('publishes with the idempotent producer, or says how to turn it off where the broker lacks it', async () => {
    const p = publisher({ idempotent: true, createTopics: false });
    const e = event('orders', 'OrderPlaced', `ord_i_${run}`, { orderId: `ord_i_${run}` });
    const outcome = await p.publish([e]).then(
      () => 'published',
      (err: Error) => err.message,
    );
    if (outcome === 'published') {
      const received = await consumeUntil(reader, [`t${run}.orders.events`], (r) =>
        r.some((m) => m.headers.ce_id === e.id),
      );
      expect(received.find((m) => m.headers.ce_id === e.id)?.key).toBe(e.subject);
    } else {
      // librdkafka's mock cluster has no InitProducerId for kafkajs.
      expect(outcome).toMatch(/KAFKA_IDEMPOTENT=false/);
    }
  });

  it('is healthy while the broker answers', async () => {
    const p = publisher({ createTopics: false });
    await p.connect();
    expect(await p.healthy()).toBe(true);
  });

  it('reports unhealthy quickly and fails a publish within seconds when no broker listens', async () => {
    const port = await closedPort();
    const p = publisher({ brokers: [`127.0.0.1:${port}`], connectionTimeoutMs: 500 });

    let started = Date.now();
    expect(await p.healthy()).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);

    started = Date.now();
    await expect(
      p.publish([event('orders', 'OrderPlaced', 'ord_x', { orderId: 'ord_x' })]),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
