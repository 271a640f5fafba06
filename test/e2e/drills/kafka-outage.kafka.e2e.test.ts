import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart } from '../../support/checkout.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { consumeUntil } from '../../support/kafka.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

const ADMIN = { email: 'kafka-outage-admin@example.com', password: 'kafka outage admin pw' };
const root = path.resolve(import.meta.dirname, '../../..');

/** A broker of the test's own that it takes down and brings back on the same address. */
const controllableBroker = async () => {
  const proc: ChildProcessWithoutNullStreams = spawn(
    '/usr/bin/python3',
    [path.join(root, 'test/support/kafka-mock-broker-ctl.py')],
    { stdio: 'pipe' },
  );
  const lines: string[] = [];
  let wake = () => {};
  proc.stdout.on('data', (d) => {
    lines.push(...String(d).split('\n').filter(Boolean));
    wake();
  });
  const nextLine = async (n: number) => {
    while (lines.length < n) await new Promise<void>((r) => (wake = r));
    return lines[n - 1]!;
  };
  const address = await nextLine(1);
  const command = async (c: 'down' | 'up') => {
    const n = lines.length + 1;
    proc.stdin.write(`${c}\n`);
    expect(await nextLine(n)).toBe(`${c} 0`);
  };
  return { address, down: () => command('down'), up: () => command('up'), stop: () => proc.stdin.end() };
};

/**
 * docs/product/spec.md: Kafka down → checkout keeps working, events wait in the outbox and flow when it returns.
 */
describe.skipIf(missing('postgres', 'kafka'))(
  'Kafka down: checkout keeps working, events wait, then flow in order',
  () => {
    let broker: Awaited<ReturnType<typeof controllableBroker>>;
    let t: TestApp;
    let sku: string;
    const prefix = `ko${Date.now().toString(36)}.`;
    const unpublished = async () =>
      (
        await t.runtime.platform.dataSource.query(
          'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
        )
      )[0].n as number;

    beforeAll(async () => {
      broker = await controllableBroker();
      t = await startTestApp(
        {
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          KAFKA_BROKERS: broker.address,
          KAFKA_TOPIC_PREFIX: prefix,
        },
        { kafka: true },
      );
      sku = await shopAdmin(t, await loginAs(t, ADMIN)).stockedSku('KAFKAOUT', 900, 50);
      await waitFor('the shop’s events to be published', async () => (await unpublished()) === 0, 20_000);
    }, 60_000);
    afterAll(async () => {
      await broker?.up().catch(() => {});
      await t?.close();
      broker?.stop();
    });

    const order = async (i: number) => {
      const cartId = await readyCart(t, {
        lines: [{ sku, quantity: 1 }],
        email: `kafka-outage-${i}@example.com`,
      });
      const r = await checkout(t, cartId, 'tok_visa');
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };

    it('takes orders while the broker is down, keeps their events in the outbox, and publishes them in order once it is back', async () => {
      const ids = [await order(0)];
      await broker.down();
      for (let i = 1; i <= 3; i++) ids.push(await order(i));
      // waiting in the outbox; readiness and the backlog metric say so
      await waitFor('the orders’ events in the outbox', async () => (await unpublished()) > 0, 10_000);
      // the relay tried, failed, and kept them
      await waitFor(
        'the relay to fail a publish',
        async () =>
          (
            await t.runtime.platform.dataSource.query(
              'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND attempts > 0',
            )
          )[0].n > 0,
        30_000,
      );
      expect(await unpublished()).toBeGreaterThan(0);
      const ready = (await t.app.inject({ method: 'GET', url: '/readyz' })).json();
      expect(ready).toMatchObject({ status: 'degraded', checks: { database: 'up', broker: 'down' } });
      // the relay exports the backlog every 5 s
      const backlog = async () =>
        Number(
          /^outbox_backlog_events (\d+)/m.exec(
            (await t.app.inject({ method: 'GET', url: '/metrics' })).body,
          )?.[1],
        );
      await waitFor('the backlog metric to rise', async () => (await backlog()) > 0, 10_000);

      await broker.up();
      await waitFor('the backlog to drain', async () => (await unpublished()) === 0, 60_000);

      // on the topic, each order's events in the order they were committed
      const committed: { subject: string; id: string }[] = await t.runtime.platform.dataSource.query(
        "SELECT subject, id FROM outbox WHERE context = 'orders' AND subject = ANY($1::text[]) ORDER BY seq",
        [ids],
      );
      const wanted = new Set(committed.map((e) => e.id));
      const kafka = new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING });
      const received = await consumeUntil(
        kafka,
        [`${prefix}orders.events`],
        (r) => new Set(r.map((m) => m.headers.ce_id).filter((id) => wanted.has(id!))).size === wanted.size,
        30_000,
      );
      for (const id of ids) {
        const inOutbox = committed.filter((e) => e.subject === id).map((e) => e.id);
        const onTopic = [...new Set(received.filter((m) => m.key === id).map((m) => m.headers.ce_id))];
        expect(onTopic, `events of order ${id}`).toEqual(inOutbox);
      }
    }, 60_000);
  },
);
