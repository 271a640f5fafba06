import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asManager } from '../../src/platform/db/typeorm-unit-of-work.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import type { EventHandlerRegistration } from '../../src/platform/messaging/consumer.js';
import { InProcessEventBus } from '../../src/platform/messaging/in-process-event-bus.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import { Metrics } from '../../src/platform/telemetry/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { type CuttableProxy, proxiedDatabase } from '../support/proxy.js';
import { missing } from '../support/skip.js';

describe.skipIf(missing('postgres'))('InProcessEventBus (real Postgres)', () => {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
  let db: TestDatabase;
  let ds: DataSource;
  let metrics: Metrics;
  let seen: string[];
  let failingCalls: number;

  const effects: EventHandlerRegistration = {
    group: 'effects',
    contexts: ['orders'],
    handle: async (event, tx) => {
      seen.push(event.id);
      await asManager(tx).query('INSERT INTO test_effects (event_id, type) VALUES ($1, $2)', [
        event.id,
        event.type,
      ]);
    },
  };
  const failing: EventHandlerRegistration = {
    group: 'always-fails',
    contexts: ['orders'],
    types: ['shopcore.orders.OrderPlaced.v1'],
    handle: async (event, tx) => {
      failingCalls++;
      await asManager(tx).query('INSERT INTO test_effects (event_id, type) VALUES ($1, $2)', [
        event.id,
        'never kept',
      ]);
      throw new Error(`warehouse rejected ${event.subject}`);
    },
  };
  const elsewhere: EventHandlerRegistration = {
    group: 'payments-only',
    contexts: ['payments'],
    handle: async () => {
      throw new Error('must not be called for orders events');
    },
  };

  const event = (name: string, subject = `ord_${randomUUID().slice(0, 8)}`): IntegrationEvent => ({
    id: randomUUID(),
    context: 'orders',
    type: `shopcore.orders.${name}.v1`,
    source: 'urn:shopcore:eu:orders',
    subject,
    time: new Date().toISOString(),
    data: { orderId: subject, number: 'EU-7' },
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });

  const bus = (dataSource: DataSource): InProcessEventBus => {
    const b = new InProcessEventBus({
      dataSource,
      logger,
      metrics,
      maxAttempts: 3,
      baseDelayMs: 5,
      maxDelayMs: 20,
    });
    for (const reg of [effects, failing, elsewhere]) b.register(reg);
    return b;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 4, entities: [] });
    await ds.initialize();
    await ds.query('CREATE TABLE test_effects (event_id uuid NOT NULL, type text NOT NULL)');
  });

  beforeEach(() => {
    metrics = new Metrics(false);
    seen = [];
    failingCalls = 0;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('delivers each event in order to every matching handler, once, however often it is published', async () => {
    const b = bus(ds);
    expect(b.kind).toBe('in-process');
    expect(await b.healthy()).toBe(true);
    const subject = `ord_${randomUUID().slice(0, 8)}`;
    const events = [
      event('OrderConfirmed', subject),
      event('OrderShipped', subject),
      event('OrderDelivered', subject),
    ];

    await b.publish(events);
    await b.publish([events[1]!, events[2]!]); // the relay may redeliver after a crash

    expect(seen).toEqual(events.map((e) => e.id));
    const rows: { event_id: string }[] = await ds.query(
      'SELECT event_id FROM test_effects WHERE event_id = ANY($1) ORDER BY event_id',
      [events.map((e) => e.id)],
    );
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id).sort());
    const inbox: unknown[] = await ds.query(
      'SELECT 1 FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2)',
      ['effects', events.map((e) => e.id)],
    );
    expect(inbox).toHaveLength(3);
    expect(failingCalls).toBe(0); // its types filter skips these events

    const { values } = await metrics.consumerProcessed.get();
    const count = (group: string, outcome: string) =>
      values.find((v) => v.labels.group === group && v.labels.outcome === outcome)?.value ?? 0;
    expect(count('effects', 'processed')).toBe(3);
    expect(count('effects', 'duplicate')).toBe(2);
    expect(count('always-fails', 'skipped')).toBe(5);
  });

  it('parks an event whose handler always fails in dead_letters, and still delivers it to the others', async () => {
    const b = bus(ds);
    const placed = event('OrderPlaced');

    await b.publish([placed]);
    await b.publish([placed]); // redelivered: retried, but parked only once

    expect(seen).toEqual([placed.id]);
    expect(failingCalls).toBe(6);
    const letters: Record<string, unknown>[] = await ds.query(
      `SELECT consumer_group, topic, event_id, event_type, payload, headers, error, attempts
         FROM dead_letters WHERE event_id = $1`,
      [placed.id],
    );
    expect(letters).toEqual([
      {
        consumer_group: 'always-fails',
        topic: 'orders.events',
        event_id: placed.id,
        event_type: 'shopcore.orders.OrderPlaced.v1',
        payload: placed.data,
        headers: {
          ce_specversion: '1.0',
          ce_id: placed.id,
          ce_source: placed.source,
          ce_type: placed.type,
          ce_subject: placed.subject,
          ce_time: placed.time,
          'content-type': 'application/json',
          traceparent: placed.traceparent,
        },
        error: `warehouse rejected ${placed.subject}`,
        attempts: 3,
      },
    ]);
    // The failed attempts were rolled back; the healthy handler's effect stayed.
    const rows: { type: string }[] = await ds.query('SELECT type FROM test_effects WHERE event_id = $1', [
      placed.id,
    ]);
    expect(rows).toEqual([{ type: placed.type }]);
    expect(
      await ds.query('SELECT consumer_group FROM inbox WHERE event_id = $1 ORDER BY consumer_group', [
        placed.id,
      ]),
    ).toEqual([{ consumer_group: 'effects' }]);
  });

  describe('when the database is unreachable', () => {
    let proxy: CuttableProxy;
    let viaProxy: DataSource;

    beforeEach(async () => {
      const proxied = await proxiedDatabase(db.url);
      proxy = proxied.proxy;
      viaProxy = createDataSource({
        url: proxied.url,
        poolSize: 2,
        entities: [],
      });
      await viaProxy.initialize();
    });

    afterEach(async () => {
      await proxy.cut();
      await viaProxy.destroy().catch(() => {});
    });

    it('rejects the publish (the relay retries later) instead of dead-lettering, and delivers once it is back', async () => {
      const b = bus(viaProxy);
      const confirmed = event('OrderConfirmed');
      await proxy.cut();

      await expect(b.publish([confirmed])).rejects.toThrow(/database unavailable/);
      expect(seen).toEqual([]);

      await proxy.open(proxy.port);
      await b.publish([confirmed]);
      expect(seen).toEqual([confirmed.id]);
      expect(
        await ds.query('SELECT count(*)::int AS n FROM dead_letters WHERE event_id = $1', [confirmed.id]),
      ).toEqual([{ n: 0 }]);
      expect(
        await ds.query('SELECT count(*)::int AS n FROM test_effects WHERE event_id = $1', [confirmed.id]),
      ).toEqual([{ n: 1 }]);
    });
  });

  it('refuses two registrations with the same group', () => {
    const b = bus(ds);
    expect(() => b.register({ ...effects })).toThrow(/registered twice/);
  });
});
