import {
  type Admin,
  Kafka,
  type LogEntry,
  logLevel,
  type Message,
  Partitioners,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import type { Logger } from '../logging/logger.js';
import { withTimeout } from '../resilience/timeout.js';
import { endSpans, startProducerSpan } from '../telemetry/tracing.js';
import { toKafkaMessage } from './cloudevents.js';
import type { EventPublisher } from './event-publisher.js';
import { CONTEXTS, type IntegrationEvent, topicFor } from './integration-event.js';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic and consumer group name (KAFKA_TOPIC_PREFIX), e.g. `eu.` */
  topicPrefix: string;
  /** Kafka's idempotent producer (needs a real broker; librdkafka's mock cluster does not support it). */
  idempotent: boolean;
  /** Create `<ctx>.events` and `<ctx>.events.dlq` for every context on connect. */
  createTopics: boolean;
  logger: Logger;
  /** TCP connect timeout per broker; default 3000 ms. */
  connectionTimeoutMs?: number;
}

/** The dead-letter topic of a topic (docs/product/events.md). */
export const dlqTopicFor = (topic: string): string => `${topic}.dlq`;

/**
 * Modest client-level retries: the outbox relay retries failed batches on its own, so a publish should
 * fail within a few seconds when the brokers are gone instead of hiding the outage.
 */
const CLIENT_RETRY = { initialRetryTime: 200, maxRetryTime: 1_000, retries: 3 } as const;
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * kafkajs messages that would only add noise at warn/error: limited retries are our choice (see
 * CLIENT_RETRY; consumers dedupe on ce_id anyway), and every failed connection attempt is logged by
 * kafkajs while the error that matters reaches the caller (relay, health check, consumer crash log).
 */
const DEMOTED = [
  'Limiting retries for the idempotent producer',
  'Connection error:',
  'Failed to connect to seed broker',
  'Connection timeout',
];

/** Routes kafkajs's own logging into pino (the client is created at WARN, so only warn+ arrives). */
const pinoLogCreator =
  (logger: Logger) =>
  () =>
  ({ namespace, level, log }: LogEntry): void => {
    const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
    const fields = { namespace, ...extra };
    if (DEMOTED.some((prefix) => message.startsWith(prefix))) logger.debug(fields, message);
    else if (level === logLevel.ERROR) logger.error(fields, message);
    else if (level === logLevel.WARN) logger.warn(fields, message);
    else if (level === logLevel.INFO) logger.info(fields, message);
    else logger.debug(fields, message);
  };

/** The kafkajs client for these options; shared by the publisher and the consumer runner. */
export const createKafkaClient = (opts: KafkaOptions): Kafka =>
  new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeoutMs ?? 3_000,
    requestTimeout: 10_000,
    retry: CLIENT_RETRY,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(opts.logger.child({ component: 'kafkajs' })),
  });

/** A producer that keeps the order of a partition on retries (one request in flight per broker). */
export const createOrderedProducer = (kafka: Kafka, idempotent: boolean): Producer =>
  kafka.producer({
    idempotent,
    maxInFlightRequests: 1,
    // Java-compatible murmur2 partitioning: the same key lands where a JVM producer would put it.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: CLIENT_RETRY,
  });

/**
 * Connects a producer. An idempotent producer first asks the cluster controller for a producer id;
 * brokers that cannot answer that (e.g. librdkafka's mock cluster) fail with a bare "Broker 0 not
 * found", so say what to do about it.
 */
export const connectProducer = async (producer: Producer, idempotent: boolean): Promise<void> => {
  try {
    await producer.connect();
  } catch (err) {
    if (idempotent && err instanceof Error && err.name === 'KafkaJSBrokerNotFound') {
      throw new Error(
        `the idempotent Kafka producer could not get a producer id (${err.message}); the broker may not ` +
          'support it (librdkafka mock cluster) — set KAFKA_IDEMPOTENT=false there',
        { cause: err },
      );
    }
    throw err;
  }
};

/** Every topic the app publishes to or parks messages in. */
export const allTopics = (prefix: string): string[] =>
  CONTEXTS.flatMap((ctx) => {
    const topic = topicFor(ctx, prefix);
    return [topic, dlqTopicFor(topic)];
  });

/**
 * EventPublisher adapter for Kafka: CloudEvents binary mode (docs/product/events.md), key = subject, `acks: -1`,
 * one request in flight so a retried batch cannot overtake the one before it.
 */
export class KafkaEventPublisher implements EventPublisher {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly log: Logger;
  private connected = false;
  private connecting: Promise<void> | undefined;
  private adminConnected = false;
  private topicsEnsured = false;
  private healthCheck: Promise<boolean> | undefined;
  private closed = false;

  constructor(private readonly opts: KafkaOptions) {
    this.log = opts.logger.child({ component: 'kafka-publisher' });
    this.kafka = createKafkaClient(opts);
    this.producer = createOrderedProducer(this.kafka, opts.idempotent);
    this.admin = this.kafka.admin({ retry: { ...CLIENT_RETRY, retries: 1 } });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  /** Connects the producer and, when configured, creates the topics. Rejects when no broker answers. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('KafkaEventPublisher is closed'));
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    await connectProducer(this.producer, this.opts.idempotent);
    this.connected = true;
    this.log.info(
      { brokers: this.opts.brokers, idempotent: this.opts.idempotent },
      'kafka producer connected',
    );
    if (this.opts.createTopics && !this.topicsEnsured) await this.ensureTopics();
  }

  /** Creates the topics; an existing topic is fine, and a broker that cannot create them only warns. */
  private async ensureTopics(): Promise<void> {
    const topics = allTopics(this.opts.topicPrefix);
    try {
      await this.connectAdmin();
      const created = await this.admin.createTopics({
        topics: topics.map((topic) => ({ topic })),
        waitForLeaders: true,
        timeout: 5_000,
      });
      this.log.info(
        { count: topics.length, created },
        created ? 'kafka topics created' : 'kafka topics already exist',
      );
    } catch (err) {
      this.log.warn(
        { reason: (err as Error).message, topics: topics.length },
        'could not create kafka topics; relying on existing or auto-created topics',
      );
    }
    this.topicsEnsured = true;
  }

  private async connectAdmin(): Promise<void> {
    if (this.adminConnected) return;
    await this.admin.connect();
    this.adminConnected = true;
  }

  /**
   * Sends the events and resolves once every one is acknowledged by all in-sync replicas. Events are
   * grouped per topic; the order given is kept within each topic (and so per subject and partition).
   */
  async publish(events: IntegrationEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    const spans = [];
    for (const event of events) {
      const topic = topicFor(event.context, this.opts.topicPrefix);
      let messages = byTopic.get(topic);
      if (!messages) {
        messages = [];
        byTopic.set(topic, messages);
      }
      // a PRODUCER span per event, child of the request that wrote it; the message carries its context
      const { span, traceparent } = startProducerSpan(topic, event);
      spans.push(span);
      messages.push(toKafkaMessage(traceparent ? { ...event, traceparent } : event));
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages });
      endSpans(spans);
    } catch (err) {
      endSpans(spans, err);
      throw err;
    }
  }

  /** true when a broker answers a metadata request within ~2 s. Concurrent calls share one check. */
  healthy(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.healthCheck ??= this.checkHealth().finally(() => {
      this.healthCheck = undefined;
    });
    return this.healthCheck;
  }

  private async checkHealth(): Promise<boolean> {
    const probe = (async () => {
      await this.connectAdmin();
      const cluster = await this.admin.describeCluster();
      return cluster.brokers.length > 0;
    })();
    try {
      return await withTimeout(probe, HEALTH_TIMEOUT_MS, 'kafka health check timed out');
    } catch (err) {
      probe.catch(() => {});
      this.log.debug({ err }, 'kafka health check failed');
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connecting?.catch(() => {});
    const results = await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    for (const r of results) {
      if (r.status === 'rejected') {
        this.log.warn({ err: r.reason }, 'kafka client did not disconnect cleanly');
      }
    }
    this.connected = false;
    this.adminConnected = false;
  }
}
