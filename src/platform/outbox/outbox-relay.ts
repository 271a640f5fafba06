import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger.js';
import type { EventPublisher } from '../messaging/event-publisher.js';
import { topicFor } from '../messaging/integration-event.js';
import { KeyedBackoff } from '../resilience/retry.js';
import type { Metrics } from '../telemetry/metrics.js';
import { OUTBOX_SHARDS, type OutboxRow, rowToEvent } from './outbox.store.js';

export interface OutboxRelayOptions {
  batchSize: number;
  pollIntervalMs: number;
  topicPrefix?: string;
  /** first back-off after a failed publish; doubles up to maxBackoffMs, with jitter */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** published rows older than this are deleted by the maintenance pass */
  retentionHours?: number;
  logger: Logger;
  metrics?: Metrics;
}

/** Advisory-lock namespace of the relay shards. */
const RELAY_LOCK_NS = 727_524;

/**
 * Publishes unpublished outbox rows through the EventPublisher, in commit order per aggregate.
 *
 * Rows hash to one of 16 shards by subject. A relay works on a shard only while it holds that
 * shard's transaction-scoped advisory lock, so with several app instances each shard has one
 * publisher at a time and a subject's events are never published out of order; the rows themselves
 * are claimed `FOR UPDATE SKIP LOCKED`. A batch is marked published in the same transaction that
 * claimed it, only after the broker acknowledged it: a crash in between leaves the rows unpublished
 * and they are sent again (at-least-once; consumers dedupe on ce_id). A failed publish backs that
 * shard off exponentially with jitter and records the error on the rows.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly backoff: KeyedBackoff<number>;
  private lastMaintenance = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly opts: OutboxRelayOptions,
  ) {
    this.backoff = new KeyedBackoff({
      baseDelayMs: opts.baseBackoffMs ?? 200,
      maxDelayMs: opts.maxBackoffMs ?? 30_000,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ask the relay to look now instead of at its next poll (called after a commit that wrote events). */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.runOnce();
        await this.maintain();
      } catch (err) {
        this.opts.logger.error({ err }, 'outbox relay pass failed');
      }
      if (!this.running) break;
      if (published === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** One pass over every shard that has pending rows; returns the number of events published. */
  async runOnce(): Promise<number> {
    const pending: { shard: number }[] = await this.dataSource.query(
      `SELECT s AS shard FROM generate_series(0, ${OUTBOX_SHARDS - 1}) s
        WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.shard = s AND o.published_at IS NULL)`,
    );
    let total = 0;
    const now = Date.now();
    for (const { shard } of pending) {
      if (this.backoff.waiting(shard, now)) continue;
      total += await this.relayShard(shard);
    }
    return total;
  }

  private async relayShard(shard: number): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let rows: OutboxRow[] = [];
    try {
      await runner.startTransaction();
      const [lock] = await runner.query('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [
        RELAY_LOCK_NS,
        shard,
      ]);
      if (!lock?.ok) {
        await runner.rollbackTransaction();
        return 0;
      }
      rows = await runner.query(
        `SELECT seq, id, context, type, source, subject, occurred_at, data, traceparent, created_at
           FROM outbox WHERE shard = $1 AND published_at IS NULL
          ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [shard, this.opts.batchSize],
      );
      if (rows.length === 0) {
        await runner.rollbackTransaction();
        return 0;
      }
      try {
        await this.publisher.publish(rows.map(rowToEvent));
      } catch (err) {
        await runner.rollbackTransaction();
        await this.recordFailure(shard, rows, err as Error);
        return 0;
      }
      await runner.query(
        'UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])',
        [rows.map((r) => r.seq)],
      );
      await runner.commitTransaction();
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => {});
      throw err;
    } finally {
      await runner.release();
    }
    this.backoff.succeeded(shard);
    const publishedAt = Date.now();
    for (const row of rows) {
      this.opts.metrics?.outboxPublished.inc({ topic: topicFor(row.context, this.opts.topicPrefix) });
      this.opts.metrics?.outboxLag.observe(
        Math.max(0, publishedAt - new Date(row.created_at).getTime()) / 1000,
      );
    }
    return rows.length;
  }

  private async recordFailure(shard: number, rows: OutboxRow[], err: Error): Promise<void> {
    const { delayMs: jittered, failures } = this.backoff.failed(shard, Date.now());
    this.opts.metrics?.outboxPublishFailures.inc();
    this.opts.logger.warn(
      { shard, events: rows.length, failures, retryInMs: Math.round(jittered), err: err.message },
      'outbox publish failed; will retry',
    );
    await this.dataSource
      .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])', [
        rows.map((r) => r.seq),
        err.message.slice(0, 1000),
      ])
      .catch(() => {});
  }

  /** Every few seconds: export backlog metrics and delete long-published rows. */
  private async maintain(): Promise<void> {
    const now = Date.now();
    if (now - this.lastMaintenance < 5000) return;
    this.lastMaintenance = now;
    const [stats] = await this.dataSource.query(
      `SELECT count(*)::int AS backlog, extract(epoch FROM (clock_timestamp() - min(created_at)))::float AS age
         FROM outbox WHERE published_at IS NULL`,
    );
    this.opts.metrics?.outboxBacklog.set(stats?.backlog ?? 0);
    this.opts.metrics?.outboxOldestAge.set(stats?.age ?? 0);
    const hours = this.opts.retentionHours ?? 72;
    await this.dataSource.query(
      `DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE published_at < now() - make_interval(hours => $1) LIMIT 5000)`,
      [hours],
    );
  }
}
