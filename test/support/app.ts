import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { inject } from 'vitest';
import type { ContextOverrides } from '../../src/contexts.js';
import type { Clock } from '../../src/platform/clock.js';
import { type Config, loadConfig } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import { type Runtime, startRuntime } from '../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  db: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/**
 * A whole shopcore instance on a fresh database of its own, as `npm start` would build it, with the
 * given environment on top. Redis and Kafka are used only when the test asks for them.
 */
export const startTestApp = async (
  env: Record<string, string> = {},
  opts: {
    redis?: boolean;
    kafka?: boolean;
    db?: TestDatabase;
    contexts?: ContextOverrides;
    /** the platform clock (a ManualClock to move time by hand); the system clock otherwise */
    clock?: Clock;
    /** where every log line goes (a capture), at LOG_LEVEL; stdout otherwise */
    logTo?: DestinationStream;
  } = {},
): Promise<TestApp> => {
  const db = opts.db ?? (await createTestDatabase());
  const redisUrl = opts.redis ? inject('redisUrl') : null;
  const kafka = opts.kafka ? inject('kafkaBrokers') : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '5',
    // a pool checkout from inside a transaction fails the request: every suite checks the rule
    DB_NESTED_CHECKOUT: 'error',
    RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    USER_RATE_LIMIT_PER_MINUTE: '100000',
    OUTBOX_POLL_INTERVAL_MS: '20',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...(kafka
      ? {
          KAFKA_BROKERS: kafka,
          KAFKA_IDEMPOTENT: 'false',
          KAFKA_CREATE_TOPICS: 'false',
          // a second instance joining a group waits for members that miss the rebalance at most this
          // long (Kafka's minimum), not kafkajs's 30 s
          KAFKA_SESSION_TIMEOUT_MS: '6000',
        }
      : {}),
    ...env,
  });
  const runtime = await startRuntime(config, {
    logger: opts.logTo
      ? createLogger(config.LOG_LEVEL, { region: config.REGION }, opts.logTo)
      : createLogger(config.LOG_LEVEL),
    defaultMetrics: false,
    ...(opts.contexts ? { contexts: opts.contexts } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    app: runtime.app,
    runtime,
    db,
    config,
    close: async () => {
      await runtime.close();
      if (!opts.db) await db.drop();
    },
  };
};
