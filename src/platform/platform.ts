import type { DataSource } from 'typeorm';
import type { Cache } from './cache/cache.js';
import type { Clock } from './clock.js';
import type { Config } from './config/config.js';
import type { DatabaseProbe } from './db/database-probe.js';
import type { DependencyState } from './http/ops.routes.js';
import type { Logger } from './logging/logger.js';
import type { EventPublisher } from './messaging/event-publisher.js';
import type { RegionPreset } from './region/region-presets.js';
import type { Metrics } from './telemetry/metrics.js';

/** The shared infrastructure every context plugin is composed from. */
export interface Platform {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  /** readiness: its own connection, so a saturated pool does not make the instance look down */
  databaseProbe: Pick<DatabaseProbe, 'ping'>;
  cache: Cache;
  publisher: EventPublisher;
  metrics: Metrics;
  clock: Clock;
  region: RegionPreset;
  /**
   * Whether this instance's Kafka consumers are consuming, for /readyz (set by the runtime when it
   * supervises consumers; absent: events are delivered in process, `disabled`).
   */
  consumerHealth?: () => DependencyState;
}
