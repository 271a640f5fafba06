import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
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
import { type CuttableProxy, proxiedDatabase } from '../support/proxy.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

describe.skipIf(missing('postgres', 'kafka'))(
  'Kafka consumer: database outage (real broker, real Postgres)',
  () => {
    /** the runner's warnings, to see it hold a message while the database is gone (printed too with LOG_LEVEL) */
    const warnings: string[] = [];
    const shown = process.env.LOG_LEVEL ?? 'silent';
    const logger = createLogger(
      ['trace', 'debug', 'info'].includes(shown) ? shown : 'warn',
      {},
      {
        write: (line: string) => {
          warnings.push(line);
          if (shown !== 'silent') process.stdout.write(line);
        },
      },
    );
    const { run, brokers, options: kafka } = testKafkaOptions(logger);
    const metrics = new Metrics(false);
    let db: TestDatabase;
    let ds: DataSource;
    let proxy: CuttableProxy;
    let viaProxy: DataSource;
    let publisher: KafkaEventPublisher;
    let runner: KafkaConsumerRunner;

    const registration: EventHandlerRegistration = {
      group: 'stock',
      contexts: ['inventory'],
      handle: async (event, tx) => {
        await asManager(tx).query('INSERT INTO test_effects (event_id) VALUES ($1)', [event.id]);
      },
    };

    const event = (subject: string): IntegrationEvent => ({
      id: randomUUID(),
      context: 'inventory',
      type: 'shopcore.inventory.StockAdjusted.v1',
      source: 'urn:shopcore:eu:inventory',
      subject,
      time: new Date().toISOString(),
      data: { sku: subject, warehouseId: 'wh-1', delta: 5, onHand: 12, reason: 'restock' },
    });

    const effectOf = async (id: string): Promise<boolean> =>
      ((await ds.query('SELECT 1 FROM test_effects WHERE event_id = $1', [id])) as unknown[]).length === 1;

    beforeAll(async () => {
      db = await createTestDatabase();
      ds = createDataSource({ url: db.url, poolSize: 2, entities: [] });
      await ds.initialize();
      await ds.query('CREATE TABLE test_effects (event_id uuid NOT NULL)');
      const proxied = await proxiedDatabase(db.url);
      proxy = proxied.proxy;
      viaProxy = createDataSource({ url: proxied.url, poolSize: 2, entities: [] });
      await viaProxy.initialize();
      publisher = new KafkaEventPublisher(kafka);
      await publisher.connect();
      runner = new KafkaConsumerRunner({
        ...kafka,
        registrations: [registration],
        dataSource: viaProxy,
        logger,
        metrics,
        maxAttempts: 2,
        baseDelayMs: 10,
      });
      await runner.start();
    });

    afterAll(async () => {
      await runner?.stop();
      await publisher?.close();
      await proxy?.cut();
      await viaProxy?.destroy().catch(() => {});
      await ds?.destroy();
      await db?.drop();
    });

    it('holds the partition while the database is unreachable instead of dead-lettering, then catches up', async () => {
      const sku = `sku_${run}`;
      const before = event(sku);
      await publisher.publish([before]);
      await waitFor('the first event to take effect', () => effectOf(before.id));

      await proxy.cut();
      const during = event(sku);
      await publisher.publish([during]);
      // the runner holds the message, and tries it again after its back-off (twice seen)
      await waitFor(
        'the runner to hold the message twice',
        async () =>
          warnings.filter((l) => l.includes(during.id) && l.includes('holding the partition')).length >= 2,
        10_000,
        20,
      );
      expect(runner.healthy()).toBe(true);
      expect(await effectOf(during.id)).toBe(false);

      await proxy.open(proxy.port);
      await waitFor('the event to take effect once the database is back', () => effectOf(during.id), 20_000);

      const { values } = await metrics.consumerProcessed.get();
      expect(values.filter((v) => v.labels.outcome === 'dead_lettered')).toEqual([]);
      expect(values.find((v) => v.labels.outcome === 'processed')?.value).toBe(2);

      // Nothing reached the dead-letter topic.
      const reader = new Kafka({ clientId: `reader-${run}`, brokers, logLevel: logLevel.NOTHING }).admin();
      await reader.connect();
      try {
        const offsets = await reader.fetchTopicOffsets(`t${run}.inventory.events.dlq`);
        expect(offsets.every((o) => o.high === '0')).toBe(true);
      } finally {
        await reader.disconnect();
      }
    });
  },
);
