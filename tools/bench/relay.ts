import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface RelayResult {
  /** events offered per second by the writer */
  offered: number;
  /** events published per second, first commit to last publish */
  rate: number;
  events: number;
  /** commit-to-publish lag, ms */
  p50: number;
  p99: number;
  max: number;
  /** events still unpublished when the wait ended */
  unpublished: number;
}

/**
 * Outbox relay throughput: writes `rate` synthetic events per second for `seconds` into the outbox —
 * in transactions of 100 rows every 20 ms, spread over every shard as the app's events are (subject
 * = a new id) — while the app's relay publishes them to the broker (topic `bench.events`, which no
 * consumer reads). Lag is `published_at − created_at` of each row (created_at is the insert's clock
 * time, just before its commit).
 */
export const runRelay = async (db: pg.Pool, rate: number, seconds: number): Promise<RelayResult> => {
  const run = randomUUID();
  const perTick = 100;
  const tickMs = (1000 * perTick) / rate;
  const started = Date.now();
  let written = 0;
  const insert = async () => {
    await db.query(
      `INSERT INTO outbox (id, context, type, source, subject, occurred_at, data)
       SELECT gen_random_uuid(), 'bench', 'shopcore.bench.Synthetic.v1', '/shopcore/bench', gen_random_uuid()::text,
              now(), jsonb_build_object('run', $1::text, 'n', g)
         FROM generate_series(1, $2::int) g`,
      [run, perTick],
    );
    written += perTick;
  };
  const inflight: Promise<void>[] = [];
  for (let tick = 0; Date.now() - started < seconds * 1000; tick++) {
    inflight.push(insert());
    const due = started + (tick + 1) * tickMs;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  }
  await Promise.all(inflight);
  const offered = written / ((Date.now() - started) / 1000);
  const deadline = Date.now() + 60_000;
  let unpublished = written;
  while (Date.now() < deadline) {
    unpublished = Number(
      (
        await db.query(
          `SELECT count(*) AS n FROM outbox WHERE context = 'bench' AND data->>'run' = $1 AND published_at IS NULL`,
          [run],
        )
      ).rows[0].n,
    );
    if (unpublished === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const { rows } = await db.query(
    `SELECT count(*)::int AS events,
            extract(epoch FROM max(published_at) - min(created_at))::float AS span,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)) * 1000 AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - created_at)) * 1000 AS p99,
            max(extract(epoch FROM published_at - created_at)) * 1000 AS max
       FROM outbox WHERE context = 'bench' AND data->>'run' = $1 AND published_at IS NOT NULL`,
    [run],
  );
  const r = rows[0];
  return {
    offered,
    rate: r.events / Math.max(r.span, 0.001),
    events: r.events,
    p50: Number(r.p50),
    p99: Number(r.p99),
    max: Number(r.max),
    unpublished,
  };
};
