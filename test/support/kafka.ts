import { randomBytes } from 'node:crypto';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { inject } from 'vitest';
import type { Logger } from '../../src/platform/logging/logger.js';
import type { KafkaOptions } from '../../src/platform/messaging/kafka-event-publisher.js';

export interface Received {
  topic: string;
  partition: number;
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
}

export const headerStrings = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));

/** Reads `topics` with a fresh consumer group until `done` says so. */
export const consumeUntil = async (
  kafka: Kafka,
  topics: string[],
  done: (received: Received[]) => boolean,
  timeoutMs = 15_000,
): Promise<Received[]> => {
  const consumer: Consumer = kafka.consumer({
    groupId: `test-reader-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 500,
  });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms with ${received.length} messages`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            received.push({
              topic,
              partition,
              key: message.key?.toString(),
              value: message.value?.toString(),
              headers: headerStrings(message.headers),
            });
            if (done(received)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
};

/** Kafka options for a test run against the harness's broker: topics and groups under a prefix of its own. */
export const testKafkaOptions = (
  logger: Logger,
): { run: string; brokers: string[]; options: KafkaOptions } => {
  const run = randomBytes(4).toString('hex');
  const brokers = (inject('kafkaBrokers') ?? '').split(',');
  return {
    run,
    brokers,
    options: {
      brokers,
      clientId: `shopcore-test-${run}`,
      topicPrefix: `t${run}.`,
      idempotent: false,
      createTopics: false,
      logger,
    },
  };
};
