import type { FastifyInstance } from 'fastify';
import { type BuiltApp, buildApp } from './app.js';
import { type ContextOverrides, ENTITIES, MIGRATIONS } from './contexts.js';
import { seedDemoCatalog } from './demo/demo-seed.js';
import type { Cache } from './platform/cache/cache.js';
import { MemoryCache } from './platform/cache/memory-cache.js';
import { RedisCache } from './platform/cache/redis-cache.js';
import { type Clock, systemClock } from './platform/clock.js';
import { type Config, developmentSecretsInUse } from './platform/config/config.js';
import { poolOf } from './platform/db/connection-guard.js';
import { createDataSource, runMigrations } from './platform/db/data-source.js';
import { DatabaseProbe } from './platform/db/database-probe.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './platform/db/embedded-postgres.js';
import { createLogger, type Logger } from './platform/logging/logger.js';
import type { EventHandlerRegistration } from './platform/messaging/consumer.js';
import { ConsumerSupervisor } from './platform/messaging/consumer-supervisor.js';
import type { EventPublisher } from './platform/messaging/event-publisher.js';
import { InProcessEventBus } from './platform/messaging/in-process-event-bus.js';
import { KafkaConsumerRunner } from './platform/messaging/kafka-consumer-runner.js';
import { KafkaEventPublisher, type KafkaOptions } from './platform/messaging/kafka-event-publisher.js';
import { OutboxRelay } from './platform/outbox/outbox-relay.js';
import type { Platform } from './platform/platform.js';
import { regionPreset } from './platform/region/region-presets.js';
import { Metrics } from './platform/telemetry/metrics.js';

export { ENTITIES } from './contexts.js';

export interface Runtime {
  app: FastifyInstance;
  modules: BuiltApp['modules'];
  platform: Platform;
  relay: OutboxRelay;
  mode: 'embedded' | 'full' | 'mixed';
  /** stop accepting, drain, stop relay and consumers, close pools */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  clock?: Clock;
  /** register the process-wide default metrics (off in tests that build several apps) */
  defaultMetrics?: boolean;
  /** replaced parts of the contexts (tests: a payment provider shared by several instances) */
  contexts?: ContextOverrides;
}

/**
 * Assembles one app instance from configuration: Postgres (DATABASE_URL or embedded), migrations,
 * cache (Redis or memory), event transport (Kafka or in-process), outbox relay, consumers.
 */
export const startRuntime = async (config: Config, opts: RuntimeOptions = {}): Promise<Runtime> => {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL, { region: config.REGION });
  const clock = opts.clock ?? systemClock;
  const cleanups: (() => Promise<unknown>)[] = [];
  const runCleanups = async () => {
    for (const c of cleanups.reverse())
      await c().catch((err) => logger.warn({ err }, 'shutdown step failed'));
  };

  // loud, once per public development default among the secrets (never its value)
  for (const { variable, risk } of developmentSecretsInUse(config)) {
    logger.warn({ variable }, `DEVELOPMENT SECRET IN USE — set ${variable}: ${risk}`);
  }

  try {
    let embedded: EmbeddedDatabase | undefined;
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      logger.info({ dataDir: config.DATA_DIR }, 'no DATABASE_URL: starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres(
        config.DATA_DIR,
        'shopcore',
        (m) => logger.debug({ postgres: m }),
        (m) => logger.warn(m),
      );
      databaseUrl = embedded.url;
      cleanups.push(() => embedded!.stop());
      logger.info({ port: embedded.port }, 'embedded PostgreSQL is up');
    }

    const metrics = new Metrics(opts.defaultMetrics ?? true);
    const dataSource = createDataSource({
      url: databaseUrl,
      poolSize: config.DB_POOL_SIZE,
      acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      applicationName: `shopcore-${config.REGION}`,
      guard: {
        nested: config.DB_NESTED_CHECKOUT,
        maxWaiting: config.DB_POOL_MAX_WAITING,
        onNested: (stack) => {
          metrics.dbNestedCheckouts.inc();
          logger.warn({ stack }, 'database connection requested from inside a transaction (deadlock risk)');
        },
        onSaturated: () => metrics.dbPoolRefused.inc(),
      },
    });
    await dataSource.initialize();
    cleanups.push(() => dataSource.destroy());
    metrics.observePool(poolOf(dataSource));
    const probe = new DatabaseProbe(databaseUrl, 1500, `shopcore-${config.REGION}-probe`);
    cleanups.push(() => probe.close());
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');

    const cache: Cache = config.REDIS_URL
      ? new RedisCache(config.REDIS_URL, config.REDIS_PREFIX ?? `shopcore:${config.REGION}:`)
      : new MemoryCache();
    cleanups.push(() => cache.close());

    const kafkaOptions: KafkaOptions | undefined =
      config.KAFKA_BROKERS.length > 0
        ? {
            brokers: config.KAFKA_BROKERS,
            clientId: `${config.KAFKA_CLIENT_ID}-${config.REGION}`,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            idempotent: config.KAFKA_IDEMPOTENT,
            createTopics: config.KAFKA_CREATE_TOPICS,
            logger,
          }
        : undefined;

    const bus = kafkaOptions ? undefined : new InProcessEventBus({ dataSource, logger, metrics });
    const publisher: EventPublisher = kafkaOptions ? new KafkaEventPublisher(kafkaOptions) : bus!;
    cleanups.push(() => publisher.close());
    try {
      await publisher.connect();
    } catch (err) {
      // Kafka down at start: events wait in the outbox and flow when it returns.
      logger.warn(
        { err: (err as Error).message },
        'event broker unavailable at start; the outbox will hold events',
      );
    }

    // Kafka consumers, kept running by a supervisor: started (again) until they run, restarted when
    // one stops for good; /readyz reports them. The registrations are the app's, known once it is built.
    let registrations: EventHandlerRegistration[] = [];
    const consumers = kafkaOptions
      ? new ConsumerSupervisor(
          () =>
            new KafkaConsumerRunner({
              ...kafkaOptions,
              registrations,
              dataSource,
              logger,
              metrics,
              sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
            }),
          { logger, checkIntervalMs: 2_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
        )
      : undefined;

    const platform: Platform = {
      config,
      logger,
      dataSource,
      databaseProbe: probe,
      cache,
      publisher,
      metrics,
      clock,
      region: regionPreset(config.REGION),
      ...(consumers
        ? {
            consumerHealth: () =>
              registrations.length === 0 ? 'disabled' : consumers.state() === 'running' ? 'up' : 'down',
          }
        : {}),
    };
    if (consumers) {
      metrics.observeConsumers({
        running: () => consumers.state() === 'running',
        lag: () => consumers.lag(),
      });
    }
    const built = await buildApp(platform, opts.contexts);
    const { app, modules } = built;
    registrations = built.registrations;
    if (!consumers) for (const r of registrations) bus!.register(r);

    const relay = new OutboxRelay(dataSource, publisher, {
      batchSize: config.OUTBOX_BATCH_SIZE,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      logger,
      metrics,
    });

    const closeOrder = async () => {
      // no new events reach the handlers (the relay feeds the in-process ones), the handlers in hand
      // finish; then background tasks finish their pass and contexts release what they hold (the
      // captures a handler started, say)
      await relay.stop();
      await consumers?.stop();
      await modules.lifecycle.stop();
      await runCleanups();
    };
    app.addHook('onClose', closeOrder);

    await app.ready();
    if (config.OUTBOX_RELAY_ENABLED) relay.start();
    modules.lifecycle.start();

    const seed =
      config.SEED_DEMO_DATA === 'true' ||
      (config.SEED_DEMO_DATA === 'auto' &&
        embedded !== undefined &&
        (await modules.catalog.admin.productCount()) === 0);
    if (seed) {
      await seedDemoCatalog({
        region: config.REGION,
        catalog: modules.catalog.admin,
        pricing: modules.pricing.admin,
        inventory: {
          warehouses: platform.region.warehouses.map((w) => w.code),
          adjust: (sku, warehouse, delta, reason) =>
            modules.inventory.admin.adjust(sku, warehouse, delta, reason),
        },
        logger,
      });
    }
    // the first attempt is awaited (as before: a started instance consumes); failures are retried
    if (consumers && registrations.length > 0) await consumers.start();

    const mode =
      !embedded && config.REDIS_URL && kafkaOptions
        ? 'full'
        : embedded && !config.REDIS_URL && !kafkaOptions
          ? 'embedded'
          : 'mixed';
    logger.info({ mode, cache: cache.kind, broker: publisher.kind }, 'shopcore runtime ready');
    return { app, modules, platform, relay, mode, close: () => app.close() };
  } catch (err) {
    await runCleanups();
    throw err;
  }
};
