/**
 * `npm run dlq:replay -- --topic <prefix><context>.events.dlq [--event-id <ce_id>]… [--group <group>]
 * [--type <ce_type>] [--all] [--dry-run]`: publishes parked messages back to their topic once the
 * cause is fixed (docs/runbook.md "Poison messages"). Brokers and client settings come from the same
 * environment as the app (KAFKA_BROKERS, KAFKA_IDEMPOTENT, …). Prints one JSON line per message.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { replayDeadLetters } from './dead-letter-replay.js';

const USAGE =
  'usage: npm run dlq:replay -- --topic <name>.dlq [--event-id <ce_id>]... [--group <consumer group>] [--type <ce_type>] [--all] [--dry-run]';

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      topic: { type: 'string' },
      'event-id': { type: 'string', multiple: true },
      group: { type: 'string' },
      type: { type: 'string' },
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.topic) throw new ConfigError(USAGE);
  const config = loadConfig(process.env);
  if (config.KAFKA_BROKERS.length === 0) {
    throw new ConfigError(
      'KAFKA_BROKERS is not set: without Kafka, dead letters are rows of the dead_letters table (docs/runbook.md)',
    );
  }
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, {
    command: 'dlq:replay',
  });
  const result = await replayDeadLetters({
    brokers: config.KAFKA_BROKERS,
    clientId: `${config.KAFKA_CLIENT_ID}-${config.REGION}-dlq-replay`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    idempotent: config.KAFKA_IDEMPOTENT,
    createTopics: false,
    logger,
    dlqTopic: values.topic,
    select: {
      ...(values['event-id'] ? { eventIds: values['event-id'] } : {}),
      ...(values.group ? { group: values.group } : {}),
      ...(values.type ? { type: values.type } : {}),
      all: values.all,
    },
    dryRun: values['dry-run'],
  });
  for (const m of result.replayed) process.stdout.write(`${JSON.stringify(m)}\n`);
  process.stderr.write(
    `${values['dry-run'] ? 'would replay' : 'replayed'} ${result.replayed.length} of ${result.read} parked messages to ${result.topic}\n`,
  );
};

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : `dlq:replay failed: ${(err as Error).message}`}\n`,
  );
  process.exit(1);
});
