import {
  Counter,
  type CounterConfiguration,
  collectDefaultMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { withTimeout } from '../resilience/timeout.js';

/**
 * Prometheus metrics of one app instance. Built per app so that tests can run several apps in one
 * process without clashing registries.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: 'outbox_backlog_events',
    help: 'Unpublished events waiting in the outbox',
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox event',
    registers: [this.registry],
  });

  readonly outboxPublished = new Counter({
    name: 'outbox_published_events_total',
    help: 'Events the relay published',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly outboxPublishFailures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Relay batches that failed to publish and will be retried',
    registers: [this.registry],
  });

  readonly outboxLag = new Histogram({
    name: 'outbox_commit_to_publish_seconds',
    help: 'Time from the event being written to being acknowledged by the broker',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly consumerProcessed = new Counter({
    name: 'consumer_messages_total',
    help: 'Messages handled by consumers, by group, topic and outcome (processed, duplicate, dead_lettered)',
    labelNames: ['group', 'topic', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'consumer_lag_seconds',
    help: 'Age of the last message a consumer group handled, by group and topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly rateLimitFallbacks = new Counter({
    name: 'rate_limit_local_fallbacks_total',
    help: 'Requests rate limited by this instance alone because Redis did not answer',
    registers: [this.registry],
  });

  readonly cacheOps = new Counter({
    name: 'cache_operations_total',
    help: 'Cache lookups by cache name and result (hit, miss, error)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  readonly authEvents = new Counter({
    name: 'auth_events_total',
    help: 'Authentication outcomes (login_ok, login_failed, refresh_reuse, ...)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly dbPoolRefused = new Counter({
    name: 'db_pool_refused_checkouts_total',
    help: 'Pool checkouts refused at once because every connection was busy and DB_POOL_MAX_WAITING callers waited',
    registers: [this.registry],
  });

  readonly dbNestedCheckouts = new Counter({
    name: 'db_nested_checkouts_total',
    help: 'Pool checkouts made from inside a transaction (a deadlock risk; should stay 0)',
    registers: [this.registry],
  });

  /** Exports the pool's connections (in use, idle) and waiting callers, read at scrape time. */
  /**
   * The Kafka consumers, read at scrape time: `consumers_running` (1 while this instance's consumers
   * consume) and `consumer_group_lag_messages` — per group and topic, the messages not yet committed
   * (high watermark − committed offset over the partitions), which keeps growing while a consumer is
   * stuck or stopped, unlike the age of the last message handled (`consumer_lag_seconds`). A lag that
   * cannot be read within a second (broker away) keeps its last values.
   */
  observeConsumers(source: {
    running: () => boolean;
    lag: () => Promise<{ group: string; topic: string; lag: number }[]>;
  }): void {
    new Gauge({
      name: 'consumers_running',
      help: 'Whether this instance’s Kafka consumers are consuming (1) or not (0)',
      registers: [this.registry],
      collect() {
        this.set(source.running() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'consumer_group_lag_messages',
      help: 'Messages of a topic not yet committed by a consumer group (high watermark minus committed offset, summed over partitions)',
      labelNames: ['group', 'topic'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await withTimeout(source.lag(), 1000).catch(() => null);
        if (rows === null) return;
        for (const r of rows) this.set({ group: r.group, topic: r.topic }, r.lag);
      },
    });
  }

  observePool(pool: { totalCount: number; idleCount: number; waitingCount: number }): void {
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the database pool by state (busy, idle)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'busy' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_callers',
      help: 'Callers waiting for a database connection',
      registers: [this.registry],
      collect() {
        this.set(pool.waitingCount);
      },
    });
  }

  /**
   * A context's own metric in this registry, created on first use and shared after: a module built
   * twice on one registry (tests, the seeder) counts into the same series.
   */
  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Counter<L> | undefined) ??
      new Counter({ ...config, registers: [this.registry] })
    );
  }

  /**
   * `<name>{event}`: a counter of a context's events with one series per event present from the start
   * (at 0), so that rates and alerts work before the first one happens.
   */
  eventCounter(name: string, help: string, events: readonly string[]): Counter<'event'> {
    const counter = this.counter({ name, help, labelNames: ['event'] });
    for (const event of events) counter.inc({ event }, 0);
    return counter;
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Histogram<L> | undefined) ??
      new Histogram({ ...config, registers: [this.registry] })
    );
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (
      (this.registry.getSingleMetric(config.name) as Gauge<L> | undefined) ??
      new Gauge({ ...config, registers: [this.registry] })
    );
  }

  constructor(collectDefaults = true) {
    if (!collectDefaults) return;
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges with a counter's `_total` suffix, which `promtool check metrics`
    // rejects; each is the sum over `type` of the gauge of the same name without it, kept.
    for (const name of NON_COUNTER_TOTALS) this.registry.removeSingleMetric(name);
  }
}

/** prom-client's default gauges named like counters (see the constructor). */
const NON_COUNTER_TOTALS = [
  'nodejs_active_resources_total',
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
] as const;
