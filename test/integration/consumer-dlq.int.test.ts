import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asManager } from '../../src/platform/db/typeorm-unit-of-work.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import { toKafkaMessage } from '../../src/platform/messaging/cloudevents.js';
import type { EventHandlerRegistration } from '../../src/platform/messaging/consumer.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import { KafkaConsumerRunner } from '../../src/platform/messaging/kafka-consumer-runner.js';
import { KafkaEventPublisher } from '../../src/platform/messaging/kafka-event-publisher.js';
import { Metrics } from '../../src/platform/telemetry/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { headerStrings, testKafkaOptions } from '../support/kafka.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

interface Received {
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
}

describe.skipIf(missing('postgres', 'kafka'))(
  'Kafka consumer: dead-letter topic (real broker, real Postgres)',
  () => {
    const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
    const { run, brokers, options: kafka } = testKafkaOptions(logger);
    const topic = `t${run}.payments.events`;
    const metrics = new Metrics(false);
    const client = new Kafka({ clientId: `raw-${run}`, brokers, logLevel: logLevel.NOTHING });
    const raw = client.producer();
    let db: TestDatabase;
    let ds: DataSource;
    let publisher: KafkaEventPublisher;
    let runner: KafkaConsumerRunner;
    let calls = 0;

    const registration: EventHandlerRegistration = {
      group: 'ledger',
      contexts: ['payments'],
      handle: async (event, tx) => {
        calls++;
        // The effect is written first, so a rollback of the failed attempts is visible too.
        await asManager(tx).query('INSERT INTO test_effects (event_id) VALUES ($1)', [event.id]);
        if (event.data.amount === -1)
          throw new Error(`negative amount on ${event.subject}: ${'x'.repeat(2000)}`);
      },
    };

    const event = (subject: string, amount: number): IntegrationEvent => ({
      id: randomUUID(),
      context: 'payments',
      type: 'shopcore.payments.PaymentCaptured.v1',
      source: 'urn:shopcore:eu:payments',
      subject,
      time: new Date().toISOString(),
      data: { paymentId: subject, orderId: `ord_${subject}`, amount, currency: 'EUR' },
    });

    beforeAll(async () => {
      db = await createTestDatabase();
      ds = createDataSource({ url: db.url, poolSize: 4, entities: [] });
      await ds.initialize();
      await ds.query('CREATE TABLE test_effects (event_id uuid NOT NULL)');
      publisher = new KafkaEventPublisher(kafka);
      await publisher.connect();
      await raw.connect();
      runner = new KafkaConsumerRunner({
        ...kafka,
        registrations: [registration],
        dataSource: ds,
        logger,
        metrics,
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 50,
      });
      await runner.start();
    });

    afterAll(async () => {
      await runner?.stop();
      await publisher?.close();
      await raw.disconnect();
      await ds?.destroy();
      await db?.drop();
    });

    it('parks a message whose handler always fails, and a malformed one, on <topic>.dlq; the partition moves on', async () => {
      const subject = `pay_${run}`;
      const bad = event(subject, -1);
      const good = event(subject, 1250);
      await publisher.publish([bad]);
      // Not a CloudEvent (no ce_* headers): poison, parked without calling the handler.
      await raw.send({
        topic,
        messages: [{ key: subject, value: 'not json', headers: { 'x-origin': 'legacy-system' } }],
      });
      await publisher.publish([good]);

      // The good event comes after both poison messages on the same partition (same key).
      await waitFor('the good event to take effect', async () => {
        const rows: unknown[] = await ds.query('SELECT 1 FROM test_effects WHERE event_id = $1', [good.id]);
        return rows.length === 1;
      });
      expect(calls).toBe(3 + 1);
      // The failed attempts were rolled back: no effect and no inbox row for the bad event.
      expect(await ds.query('SELECT event_id FROM test_effects')).toEqual([{ event_id: good.id }]);
      expect(await ds.query('SELECT event_id FROM inbox WHERE consumer_group = $1', ['ledger'])).toEqual([
        { event_id: good.id },
      ]);

      const dlq = await readDlq(2);
      expect(dlq).toHaveLength(2);
      const [parked, malformed] = dlq as [Received, Received];

      const original = toKafkaMessage(bad);
      expect(parked.key).toBe(subject);
      expect(parked.value).toBe(original.value);
      for (const [name, value] of Object.entries(original.headers))
        expect(parked.headers[name], name).toBe(value);
      expect(parked.headers['x-attempts']).toBe('3');
      expect(parked.headers['x-error']).toMatch(/^negative amount on pay_/);
      expect(parked.headers['x-error']!.length).toBeLessThanOrEqual(1000);
      expect(parked.headers['x-consumer-group']).toBe(`t${run}.ledger`);

      expect(malformed.key).toBe(subject);
      expect(malformed.value).toBe('not json');
      expect(malformed.headers['x-origin']).toBe('legacy-system');
      expect(malformed.headers['x-attempts']).toBe('0');
      expect(malformed.headers['x-error']).toMatch(/ce_specversion is missing/);

      const { values } = await metrics.consumerProcessed.get();
      const count = (outcome: string) =>
        values
          .filter((v) => v.labels.outcome === outcome && v.labels.topic === topic)
          .reduce((s, v) => s + v.value, 0);
      expect(count('dead_lettered')).toBe(2);
      expect(count('processed')).toBe(1);
    });

    /** The first `n` messages of the dead-letter topic, read with a fresh consumer group. */
    const readDlq = async (n: number): Promise<Received[]> => {
      const consumer = client.consumer({ groupId: `dlq-reader-${run}`, maxWaitTimeInMs: 500 });
      const received: Received[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [`${topic}.dlq`], fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            received.push({
              key: message.key?.toString(),
              value: message.value?.toString(),
              headers: headerStrings(message.headers),
            });
          },
        });
        await waitFor('dead letters', async () => received.length >= n);
      } finally {
        await consumer.disconnect();
      }
      return received;
    };
  },
);
