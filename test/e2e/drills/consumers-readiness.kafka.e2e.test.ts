import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

/** /readyz says whether this instance's Kafka consumers are consuming (ConsumerSupervisor). */
describe.skipIf(missing('postgres', 'kafka'))('readiness of the Kafka consumers', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });

  const readyz = async (t: TestApp) => (await t.app.inject({ method: 'GET', url: '/readyz' })).json();

  it('reports them up once they consume; their lag in messages grows while they are stuck, and drains after', async () => {
    const t = await startTestApp(
      { KAFKA_TOPIC_PREFIX: `readiness-${Date.now().toString(36)}.` },
      { kafka: true },
    );
    apps.push(t);
    expect(await readyz(t)).toMatchObject({ checks: { database: 'up', broker: 'up', consumers: 'up' } });
    const metrics = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await metrics()).toMatch(/^consumers_running 1$/m);
    /** the lag of the groups that read catalog.events (catalog's cache and search invalidation) */
    const catalogLag = async () => {
      const lags = [
        ...(await metrics()).matchAll(
          /^consumer_group_lag_messages\{[^}]*topic="[^"]*catalog\.events"[^}]*\} (\d+)$/gm,
        ),
      ].map((m) => Number(m[1]));
      return lags.length === 0 ? null : lags.reduce((a, b) => a + b, 0);
    };
    expect(await pollUntil(catalogLag, (lag) => lag === 0, 15_000, 50)).toBe(0);

    // stuck: every handler waits on the inbox, which the test holds locked
    const ds = t.runtime.platform.dataSource;
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE');
    try {
      const subject = randomUUID();
      for (let n = 0; n < 5; n++) {
        await ds.query(
          `INSERT INTO outbox (id, context, type, source, subject, occurred_at, data)
           VALUES ($1, 'catalog', 'shopcore.catalog.LagProbe.v1', 'urn:shopcore:test', $2, now(), '{}')`,
          [randomUUID(), subject],
        );
      }
      // relayed to Kafka, not committed by the stuck groups (the one in hand included)
      expect(await pollUntil(catalogLag, (lag) => (lag ?? 0) >= 5, 15_000, 50)).toBeGreaterThanOrEqual(5);
      expect(await readyz(t)).toMatchObject({ checks: { consumers: 'up' } });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await pollUntil(catalogLag, (lag) => lag === 0, 20_000, 50)).toBe(0);
  });

  it('reports them down, degraded but ready, while the broker cannot be reached — and keeps taking writes', async () => {
    const t = await startTestApp({ KAFKA_BROKERS: '127.0.0.1:1' }, { kafka: true });
    apps.push(t);
    const r = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      status: 'degraded',
      checks: { database: 'up', cache: 'disabled', broker: 'down', consumers: 'down' },
    });
    // a write still succeeds: its events wait in the outbox
    const cart = await t.app.inject({ method: 'POST', url: '/api/v1/carts' });
    expect(cart.statusCode).toBe(201);
  });
});
