import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asManager } from '../../src/platform/db/typeorm-unit-of-work.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import type { EventHandlerRegistration } from '../../src/platform/messaging/consumer.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import { KafkaConsumerRunner } from '../../src/platform/messaging/kafka-consumer-runner.js';
import { KafkaEventPublisher } from '../../src/platform/messaging/kafka-event-publisher.js';
import { Metrics } from '../../src/platform/telemetry/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testKafkaOptions } from '../support/kafka.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

type CounterLabels = { group: string; topic: string; outcome: string };
const counterValue = async (metrics: Metrics, want: CounterLabels): Promise<number> => {
  const { values } = await metrics.consumerProcessed.get();
  return values
    .filter(
      (v) =>
        v.labels.group === want.group && v.labels.topic === want.topic && v.labels.outcome === want.outcome,
    )
    .reduce((sum, v) => sum + v.value, 0);
};

describe.skipIf(missing('postgres', 'kafka'))(
  'Kafka consumer: idempotency (real broker, real Postgres)',
  () => {
    const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
    const { run, options: kafka } = testKafkaOptions(logger);
    const metrics = new Metrics(false);
    let db: TestDatabase;
    let ds: DataSource;
    let publisher: KafkaEventPublisher;
    let runner: KafkaConsumerRunner;

    const registration: EventHandlerRegistration = {
      group: 'effects',
      contexts: ['orders'],
      types: ['shopcore.orders.OrderPlaced.v1', 'shopcore.orders.OrderConfirmed.v1'],
      handle: async (event, tx) => {
        await asManager(tx).query('INSERT INTO test_effects (event_id, subject) VALUES ($1, $2)', [
          event.id,
          event.subject,
        ]);
      },
    };

    const event = (name: string, subject: string): IntegrationEvent => ({
      id: randomUUID(),
      context: 'orders',
      type: `shopcore.orders.${name}.v1`,
      source: 'urn:shopcore:eu:orders',
      subject,
      time: new Date().toISOString(),
      data: { orderId: subject, number: 'EU-1' },
    });

    beforeAll(async () => {
      db = await createTestDatabase();
      ds = createDataSource({ url: db.url, poolSize: 4, entities: [] });
      await ds.initialize();
      // A scratch table without a unique key: a handler that ran twice would leave two rows.
      await ds.query('CREATE TABLE test_effects (event_id uuid NOT NULL, subject text NOT NULL)');
      publisher = new KafkaEventPublisher(kafka);
      await publisher.connect();
      runner = new KafkaConsumerRunner({
        ...kafka,
        registrations: [registration],
        dataSource: ds,
        logger,
        metrics,
      });
      await runner.start();
    });

    afterAll(async () => {
      await runner?.stop();
      await publisher?.close();
      await ds?.destroy();
      await db?.drop();
    });

    it('applies an event delivered twice (same ce_id) once, and skips types it does not handle', async () => {
      const subject = `ord_${run}`;
      const placed = event('OrderPlaced', subject);
      const cancelled = event('OrderCancelled', subject); // not in `types`
      const confirmed = event('OrderConfirmed', subject);
      // At-least-once delivery: the relay may send the same event again after a lost acknowledgement.
      await publisher.publish([placed]);
      await publisher.publish([placed, cancelled]);
      await publisher.publish([confirmed]);

      // Same subject, same partition: once the last event took effect, everything before it was handled.
      await waitFor('the last event to take effect', async () => {
        const rows: unknown[] = await ds.query('SELECT 1 FROM test_effects WHERE event_id = $1', [
          confirmed.id,
        ]);
        return rows.length === 1;
      });

      const effects: { event_id: string }[] = await ds.query(
        'SELECT event_id FROM test_effects WHERE subject = $1 ORDER BY event_id',
        [subject],
      );
      expect(effects.map((r) => r.event_id).sort()).toEqual([placed.id, confirmed.id].sort());

      const inbox: { event_id: string; event_type: string }[] = await ds.query(
        'SELECT event_id, event_type FROM inbox WHERE consumer_group = $1',
        ['effects'],
      );
      expect(inbox).toHaveLength(2);
      expect(inbox.filter((r) => r.event_id === placed.id)).toEqual([
        { event_id: placed.id, event_type: 'shopcore.orders.OrderPlaced.v1' },
      ]);

      const topic = `t${run}.orders.events`;
      expect(await counterValue(metrics, { group: 'effects', topic, outcome: 'processed' })).toBe(2);
      expect(await counterValue(metrics, { group: 'effects', topic, outcome: 'duplicate' })).toBe(1);
      expect(await counterValue(metrics, { group: 'effects', topic, outcome: 'skipped' })).toBe(1);
      const lag = await metrics.consumerLag.get();
      expect(lag.values.find((v) => v.labels.topic === topic)?.value).toBeGreaterThanOrEqual(0);
    });
  },
);
