import type { DataSource, EntityManager } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle, TypeOrmUnitOfWork } from '../../src/platform/db/typeorm-unit-of-work.js';
import { AggregateRoot } from '../../src/platform/domain/aggregate-root.js';
import { newId } from '../../src/platform/ids.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import type { EventPublisher } from '../../src/platform/messaging/event-publisher.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import { OutboxRelay } from '../../src/platform/outbox/outbox-relay.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

const logger = createLogger('silent');

const event = (subject: string, n: number): IntegrationEvent => ({
  id: newId(),
  context: 'identity',
  type: 'shopcore.identity.TestHappened.v1',
  source: 'urn:shopcore:eu:identity',
  subject,
  time: new Date().toISOString(),
  data: { n },
});

/** Records what was published; can fail or stop mid-batch like a relay process that dies. */
class RecordingPublisher implements EventPublisher {
  readonly kind = 'in-process' as const;
  readonly published: IntegrationEvent[] = [];
  failNext = 0;
  /** publish this many events of the next batch, then die */
  crashAfter: number | undefined;
  private dead = false;
  async connect() {}
  async healthy() {
    return true;
  }
  async close() {}
  async publish(events: IntegrationEvent[]) {
    if (this.dead) throw new Error('this relay process is gone');
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('broker unavailable');
    }
    if (this.crashAfter !== undefined) {
      const n = this.crashAfter;
      this.crashAfter = undefined;
      this.dead = true;
      this.published.push(...events.slice(0, n));
      throw new Error('relay process killed mid-batch');
    }
    this.published.push(...events);
  }
}

class Counter extends AggregateRoot {
  constructor(readonly id: string) {
    super();
  }
  bump(n: number) {
    this.record({ name: 'Bumped', aggregateId: this.id, occurredAt: new Date(), n } as never);
  }
}

const outboxCount = async (ds: DataSource) =>
  Number((await ds.query('SELECT count(*)::int AS n FROM outbox'))[0].n);

describe.skipIf(missing('postgres'))('unit of work, outbox and relay', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let ds2: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 5, entities: [] });
    ds2 = createDataSource({ url: db.url, poolSize: 5, entities: [] });
    await Promise.all([ds.initialize(), ds2.initialize()]);
    await ds.query('CREATE TABLE counters (id uuid PRIMARY KEY, value int NOT NULL)');
  });
  afterEach(async () => {
    await ds.query('TRUNCATE outbox');
  });
  afterAll(async () => {
    await ds?.destroy();
    await ds2?.destroy();
    await db?.drop();
  });

  const uow = () =>
    new TypeOrmUnitOfWork(
      ds,
      (m: EntityManager) => m,
      (e) => ({ ...event(e.aggregateId, (e as never as { n: number }).n) }),
    );

  it('writes the events of a committed transaction and none of a rolled-back one', async () => {
    const id = newId();
    await uow().run(async ({ repos: m, track }) => {
      await m.query('INSERT INTO counters (id, value) VALUES ($1, 1)', [id]);
      track(new Counter(id)).bump(1);
    });
    expect(await outboxCount(ds)).toBe(1);

    const failing = newId();
    await expect(
      uow().run(async ({ repos: m, track, emit }) => {
        await m.query('INSERT INTO counters (id, value) VALUES ($1, 1)', [failing]);
        track(new Counter(failing)).bump(1);
        emit(event(failing, 2));
        throw new Error('business rule failed after the writes');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await outboxCount(ds)).toBe(1);
    expect(await ds.query('SELECT 1 FROM counters WHERE id = $1', [failing])).toEqual([]);
  });

  it('rolls back the business rows when the outbox write fails', async () => {
    const id = newId();
    const duplicate = event(id, 1);
    await expect(
      uow().run(async ({ repos: m, emit }) => {
        await m.query('INSERT INTO counters (id, value) VALUES ($1, 1)', [id]);
        emit(duplicate);
        emit(duplicate); // same ce_id twice: the outbox insert violates its unique key
      }),
    ).rejects.toThrow();
    expect(await ds.query('SELECT 1 FROM counters WHERE id = $1', [id])).toEqual([]);
    expect(await outboxCount(ds)).toBe(0);
  });

  it('writes the events of every unit of work of one transaction in one INSERT before COMMIT, without those of a rolled-back savepoint', async () => {
    const subject = newId();
    const statements: string[] = [];
    await ds.transaction(async (m) => {
      const query = m.query.bind(m);
      (m as { query: unknown }).query = (sql: string, params?: unknown[]) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
        return query(sql, params);
      };
      await uow().join(asHandle(m), async ({ emit }) => emit(event(subject, 1)));
      await m
        .transaction((inner) =>
          uow().join(asHandle(inner), async ({ emit }) => {
            emit(event(subject, 2));
            throw new Error('this savepoint rolls back');
          }),
        )
        .catch(() => {});
      await m.transaction((inner) =>
        uow().join(asHandle(inner), async ({ emit }) => {
          emit(event(subject, 3));
          emit(event(subject, 4));
        }),
      );
      await uow().join(asHandle(m), async ({ repos: r, emit }) => {
        await r.query('SELECT 1');
        emit(event(subject, 5));
      });
      // nothing is written before the commit
      expect(await m.query('SELECT count(*)::int AS n FROM outbox')).toEqual([{ n: 0 }]);
    });
    expect(statements.filter((s) => s.startsWith('INSERT INTO outbox'))).toHaveLength(1);
    expect(statements.at(-1)).toBe('INSERT INTO outbox');
    const written = await ds.query('SELECT data FROM outbox WHERE subject = $1 ORDER BY seq', [subject]);
    expect(written.map((r: { data: { n: number } }) => r.data.n)).toEqual([1, 3, 4, 5]);

    // outside a transaction the events are written at once
    await uow().join(asHandle(ds.manager), async ({ emit }) => emit(event(subject, 6)));
    expect(await outboxCount(ds)).toBe(5);
  });

  it('publishes in commit order per aggregate, marks rows published, and retries after a broker failure', async () => {
    const subjects = [newId(), newId(), newId()];
    for (let n = 0; n < 30; n++) {
      await uow().run(async ({ emit }) => emit(event(subjects[n % 3]!, n)));
    }
    const publisher = new RecordingPublisher();
    publisher.failNext = 1;
    const relay = new OutboxRelay(ds, publisher, {
      batchSize: 7,
      pollIntervalMs: 10,
      baseBackoffMs: 10,
      logger,
    });
    await relay.runOnce(); // the first shard attempted fails and backs off
    const failed = await ds.query('SELECT count(*)::int AS n FROM outbox WHERE last_error IS NOT NULL');
    expect(failed[0].n).toBeGreaterThan(0);
    relay.start();
    await expect
      .poll(
        async () => (await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n,
        { timeout: 5000 },
      )
      .toBe(0);
    await relay.stop();
    for (const s of subjects) {
      const ns = publisher.published.filter((e) => e.subject === s).map((e) => e.data.n as number);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(new Set(ns).size).toBe(10);
    }
  });

  it('loses nothing when a relay dies mid-batch; another instance finishes (duplicates only, in order)', async () => {
    const subjects = [newId(), newId()];
    const written: string[] = [];
    for (let n = 0; n < 40; n++) {
      await uow().run(async ({ emit }) => {
        const e = event(subjects[n % 2]!, n);
        written.push(e.id);
        emit(e);
      });
    }
    const dying = new RecordingPublisher();
    dying.crashAfter = 3;
    const first = new OutboxRelay(ds, dying, { batchSize: 10, pollIntervalMs: 10, logger });
    await first.runOnce();
    expect(dying.published).toHaveLength(3); // sent to the broker, but the claim never committed

    const survivor = new RecordingPublisher();
    const second = new OutboxRelay(ds2, survivor, { batchSize: 10, pollIntervalMs: 10, logger });
    second.start();
    await expect
      .poll(
        async () => (await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n,
        { timeout: 5000 },
      )
      .toBe(0);
    await second.stop();

    const delivered = new Set([...dying.published, ...survivor.published].map((e) => e.id));
    expect([...delivered].sort()).toEqual([...written].sort()); // nothing lost
    for (const e of dying.published) expect(survivor.published.map((x) => x.id)).toContain(e.id); // at-least-once redelivery, same ce_id
    for (const s of subjects) {
      const ns = survivor.published.filter((e) => e.subject === s).map((e) => e.data.n as number);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });

  it('lets two relay instances run at once without reordering a subject or publishing twice', async () => {
    const subjects = Array.from({ length: 8 }, () => newId());
    for (let n = 0; n < 400; n++) {
      await uow().run(async ({ emit }) => emit(event(subjects[n % subjects.length]!, n)));
    }
    const a = new RecordingPublisher();
    const b = new RecordingPublisher();
    const relayA = new OutboxRelay(ds, a, { batchSize: 13, pollIntervalMs: 5, logger });
    const relayB = new OutboxRelay(ds2, b, { batchSize: 13, pollIntervalMs: 5, logger });
    relayA.start();
    relayB.start();
    await expect
      .poll(
        async () => (await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n,
        { timeout: 10_000 },
      )
      .toBe(0);
    await Promise.all([relayA.stop(), relayB.stop()]);
    const all = [...a.published, ...b.published];
    expect(all).toHaveLength(400);
    expect(new Set(all.map((e) => e.id)).size).toBe(400);
    for (const s of subjects) {
      // each subject lives in one shard, so exactly one relay publishes it at a time
      const fromA = a.published.filter((e) => e.subject === s).map((e) => e.data.n as number);
      const fromB = b.published.filter((e) => e.subject === s).map((e) => e.data.n as number);
      for (const ns of [fromA, fromB]) expect(ns).toEqual([...ns].sort((x, y) => x - y));
    }
  });
});
