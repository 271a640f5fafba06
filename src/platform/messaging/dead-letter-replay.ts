import { randomBytes } from 'node:crypto';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { CE_HEADERS } from './cloudevents.js';
import {
  connectProducer,
  createKafkaClient,
  createOrderedProducer,
  type KafkaOptions,
} from './kafka-event-publisher.js';

/** Headers the consumer runner adds when it parks a message; a replay sends the message without them. */
export const DEAD_LETTER_HEADERS = [
  'x-error',
  'x-attempts',
  'x-consumer-group',
  'x-original-partition',
  'x-original-offset',
] as const;

/** Which parked messages to replay; every given criterion must match. */
export interface ReplaySelection {
  /** `ce_id`s */
  eventIds?: readonly string[];
  /** the consumer group that parked it (`x-consumer-group`, with the topic prefix) */
  group?: string;
  /** `ce_type` */
  type?: string;
  /** everything on the topic (no other criterion needed) */
  all?: boolean;
}

export interface ReplayedMessage {
  eventId: string | undefined;
  type: string | undefined;
  group: string | undefined;
  error: string | undefined;
  partition: number;
  offset: string;
}

export interface ReplayResult {
  /** the topic the messages went back to */
  topic: string;
  /** parked messages read */
  read: number;
  /** the ones selected (each `ce_id` sent once, however often it was parked) */
  replayed: ReplayedMessage[];
}

const text = (headers: IHeaders | undefined, name: string): string | undefined => {
  const raw = headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
};

const matches = (message: KafkaMessage, s: ReplaySelection): boolean => {
  if (s.all) return true;
  const id = text(message.headers, CE_HEADERS.id);
  if (s.eventIds && !(id && s.eventIds.includes(id))) return false;
  if (s.group && text(message.headers, 'x-consumer-group') !== s.group) return false;
  if (s.type && text(message.headers, CE_HEADERS.type) !== s.type) return false;
  return true;
};

/**
 * Replays parked messages (docs/runbook.md "Poison messages"): reads `<topic>.dlq` from the beginning
 * to its current end, and publishes the selected messages back to `<topic>` with the same key, value
 * and headers — without the headers the runner added when it parked them. Safe once the cause is fixed:
 * every consumer group dedupes on `ce_id`, so the groups that handled the event skip it and only the
 * one that failed does the work. A message that fails again is parked again. `dryRun`: only lists.
 */
export const replayDeadLetters = async (
  opts: KafkaOptions & { dlqTopic: string; select: ReplaySelection; dryRun?: boolean },
): Promise<ReplayResult> => {
  if (!opts.dlqTopic.endsWith('.dlq')) throw new Error(`${opts.dlqTopic} is not a dead-letter topic (*.dlq)`);
  const s = opts.select;
  if (!s.all && !s.eventIds?.length && !s.group && !s.type) {
    throw new Error(
      'say which parked messages to replay (event ids, a consumer group, a type), or all of them',
    );
  }
  const topic = opts.dlqTopic.slice(0, -'.dlq'.length);
  const kafka = createKafkaClient(opts);
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(opts.dlqTopic);
    ends = new Map(
      offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
    );
  } finally {
    await admin.disconnect();
  }
  const selected: { message: KafkaMessage; partition: number }[] = [];
  let read = 0;
  if (ends.size > 0) {
    const consumer = kafka.consumer({ groupId: `shopcore-dlq-replay-${randomBytes(6).toString('hex')}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [opts.dlqTopic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const left = new Map(ends);
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const end = left.get(partition);
              if (end === undefined) return;
              read += 1;
              if (matches(message, s)) selected.push({ message, partition });
              if (BigInt(message.offset) + 1n >= end) left.delete(partition);
              if (left.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
  const seen = new Set<string>();
  const toSend = selected.filter(({ message }) => {
    const id = text(message.headers, CE_HEADERS.id) ?? `${message.offset}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (!opts.dryRun && toSend.length > 0) {
    const producer = createOrderedProducer(kafka, opts.idempotent);
    await connectProducer(producer, opts.idempotent);
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: toSend.map(({ message }) => ({
          key: message.key,
          value: message.value,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).filter(
              ([name]) => !(DEAD_LETTER_HEADERS as readonly string[]).includes(name),
            ),
          ) as IHeaders,
        })),
      });
    } finally {
      await producer.disconnect();
    }
  }
  return {
    topic,
    read,
    replayed: toSend.map(({ message, partition }) => ({
      eventId: text(message.headers, CE_HEADERS.id),
      type: text(message.headers, CE_HEADERS.type),
      group: text(message.headers, 'x-consumer-group'),
      error: text(message.headers, 'x-error'),
      partition,
      offset: message.offset,
    })),
  };
};
