import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, {
  type Admin,
  type Consumer,
  type EachMessagePayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../telemetry/metrics.js';

// kafkajs is CommonJS: Node's ESM loader exposes only some names; the error classes hang off the default export.
const { KafkaJSError } = kafkajs;

import { backoffDelay } from '../resilience/retry.js';
import { withConsumerSpan } from '../telemetry/tracing.js';
import { CE_HEADERS, fromKafkaMessage, InvalidCloudEventError } from './cloudevents.js';
import {
  DatabaseUnavailableError,
  type EventHandlerRegistration,
  type ProcessResult,
  processEvent,
} from './consumer.js';
import { type IntegrationEvent, topicFor } from './integration-event.js';
import {
  connectProducer,
  createKafkaClient,
  createOrderedProducer,
  dlqTopicFor,
  type KafkaOptions,
} from './kafka-event-publisher.js';

export interface KafkaConsumerRunnerOptions extends KafkaOptions {
  registrations: readonly EventHandlerRegistration[];
  dataSource: DataSource;
  metrics: Metrics;
  /** handler attempts before a message is dead-lettered; default 5 */
  maxAttempts?: number;
  /** first retry delay of a failing handler; default 100 ms */
  baseDelayMs?: number;
  /** longest retry delay of a failing handler; default 5000 ms */
  maxDelayMs?: number;
  /** the consumer groups' session timeout (KAFKA_SESSION_TIMEOUT_MS); default 30 000 ms, kafkajs's */
  sessionTimeoutMs?: number;
}

/** Longest x-error header, in characters. */
const MAX_ERROR_LENGTH = 1000;
/** While the database is down, a partition waits at most this long between tries, heartbeating meanwhile. */
const DB_RETRY_MAX_DELAY_MS = 30_000;
/** Heartbeats go every third of the session timeout (Kafka's advice), and at least every 3 s. */
const heartbeatEvery = (sessionTimeoutMs: number): number =>
  Math.min(3_000, Math.floor(sessionTimeoutMs / 3));
/**
 * Longest a fetch waits on an idle partition. Disconnecting waits for the fetch in flight, so this bounds
 * how long stop() takes; the cost is one empty fetch per second per idle consumer.
 */
const FETCH_MAX_WAIT_MS = 1_000;

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/**
 * Consumes integration events from Kafka for the registered handlers: one consumer group per
 * registration (`${topicPrefix}${group}`), reading `<prefix><context>.events` from the beginning.
 * Each message goes through {@link processEvent} (inbox + handler in one transaction, retries with
 * backoff). A message that is not a valid CloudEvent, or whose handler failed on every attempt, is
 * copied — key, value and original headers, plus `x-error` and `x-attempts` — to `<topic>.dlq`, and
 * the partition moves on. While the database is unreachable the partition waits instead.
 */
export class KafkaConsumerRunner {
  private readonly kafka: Kafka;
  private readonly log: Logger;
  private readonly consumers: Consumer[] = [];
  private dlqProducer: Producer | undefined;
  private admin: Admin | undefined;
  private started = false;
  /** groups whose consumer kafkajs gave up on (a non-retriable error); they consume nothing any more */
  private readonly dead = new Set<string>();
  private stopping = false;
  private readonly stopSignal = new AbortController();

  constructor(private readonly opts: KafkaConsumerRunnerOptions) {
    this.log = opts.logger.child({ component: 'kafka-consumer' });
    this.kafka = createKafkaClient(opts);
    const groups = new Set<string>();
    for (const reg of opts.registrations) {
      if (groups.has(reg.group)) throw new Error(`consumer group ${reg.group} is registered twice`);
      if (reg.contexts.length === 0) throw new Error(`consumer group ${reg.group} reads no context`);
      groups.add(reg.group);
    }
  }

  /** Connects the dead-letter producer and starts one consumer per registration. */
  async start(): Promise<void> {
    if (this.started) throw new Error('KafkaConsumerRunner already started');
    this.started = true;
    try {
      this.dlqProducer = createOrderedProducer(this.kafka, this.opts.idempotent);
      await connectProducer(this.dlqProducer, this.opts.idempotent);
      // In parallel: each first join of a group waits for the broker's initial rebalance delay (~3 s).
      const started = await Promise.allSettled(this.opts.registrations.map((reg) => this.startConsumer(reg)));
      const failure = started.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async startConsumer(registration: EventHandlerRegistration): Promise<void> {
    const groupId = `${this.opts.topicPrefix}${registration.group}`;
    const topics = registration.contexts.map((ctx) => topicFor(ctx, this.opts.topicPrefix));
    const sessionTimeout = this.opts.sessionTimeoutMs ?? 30_000;
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      sessionTimeout,
      heartbeatInterval: heartbeatEvery(sessionTimeout),
    });
    this.consumers.push(consumer);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.dead.add(registration.group);
      this.log.error(
        { group: registration.group, restart: payload.restart, err: payload.error },
        payload.restart
          ? 'kafka consumer crashed; kafkajs restarts it'
          : 'kafka consumer crashed and stopped',
      );
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachMessage: (payload) => this.onMessage(registration, payload) });
    this.log.info({ group: registration.group, groupId, topics }, 'kafka consumer started');
  }

  private async onMessage(
    registration: EventHandlerRegistration,
    payload: EachMessagePayload,
  ): Promise<void> {
    const { topic, partition, message } = payload;
    let event: IntegrationEvent;
    try {
      event = fromKafkaMessage(topic, message);
    } catch (err) {
      if (!(err instanceof InvalidCloudEventError)) throw asRetriable(err);
      await this.deadLetter(registration, payload, err.message, 0);
      return;
    }
    const result = await withConsumerSpan(topic, event, registration.group, () =>
      this.processUntilDatabaseAnswers(registration, event, payload),
    );
    if (result.outcome === 'failed') {
      await this.deadLetter(
        registration,
        payload,
        result.error?.message ?? 'handler failed',
        result.attempts,
        event,
      );
    }
    this.log.debug(
      {
        group: registration.group,
        topic,
        partition,
        offset: message.offset,
        eventId: event.id,
        outcome: result.outcome,
      },
      'message handled',
    );
  }

  /**
   * processEvent, but a database outage holds the partition (with heartbeats, so the group stays
   * stable) until the database answers again or the runner stops, instead of dead-lettering the message.
   */
  private async processUntilDatabaseAnswers(
    registration: EventHandlerRegistration,
    event: IntegrationEvent,
    { topic, heartbeat }: EachMessagePayload,
  ): Promise<ProcessResult> {
    for (let outage = 1; ; outage++) {
      try {
        return await processEvent(this.opts.dataSource, registration, event, {
          maxAttempts: this.opts.maxAttempts,
          baseDelayMs: this.opts.baseDelayMs,
          maxDelayMs: this.opts.maxDelayMs,
          logger: this.log,
          metrics: this.opts.metrics,
          topic,
        });
      } catch (err) {
        if (!(err instanceof DatabaseUnavailableError) || this.stopping) throw asRetriable(err);
        const delay = backoffDelay(outage, { baseDelayMs: 500, maxDelayMs: DB_RETRY_MAX_DELAY_MS });
        this.log.warn(
          { group: registration.group, topic, eventId: event.id, delayMs: delay, reason: err.message },
          'database unavailable; holding the partition until it answers',
        );
        await this.pause(delay, heartbeat);
      }
    }
  }

  /** Waits `ms`, heartbeating every few seconds; throws as soon as the runner stops. */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      try {
        await sleep(
          Math.min(heartbeatEvery(this.opts.sessionTimeoutMs ?? 30_000), until - Date.now()),
          undefined,
          {
            signal: this.stopSignal.signal,
          },
        );
      } catch {
        throw new KafkaJSError('consumer stopping', { retriable: true });
      }
      await heartbeat();
    }
  }

  /** Copies the original message to `<topic>.dlq` with the reason; throws (kafkajs redelivers) if that fails. */
  private async deadLetter(
    registration: EventHandlerRegistration,
    { topic, partition, message }: EachMessagePayload,
    reason: string,
    attempts: number,
    event?: IntegrationEvent,
  ): Promise<void> {
    const producer = this.dlqProducer;
    if (!producer) throw new KafkaJSError('dead-letter producer is not connected', { retriable: true });
    const dlq = dlqTopicFor(topic);
    try {
      await producer.send({
        topic: dlq,
        acks: -1,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: {
              ...message.headers,
              'x-error': truncate(reason, MAX_ERROR_LENGTH),
              'x-attempts': String(attempts),
              'x-consumer-group': `${this.opts.topicPrefix}${registration.group}`,
              'x-original-partition': String(partition),
              'x-original-offset': message.offset,
            },
          },
        ],
      });
    } catch (err) {
      this.log.error(
        { group: registration.group, topic, partition, offset: message.offset, err },
        'could not dead-letter a message; it will be redelivered',
      );
      throw asRetriable(err);
    }
    this.opts.metrics.consumerProcessed.inc({ group: registration.group, topic, outcome: 'dead_lettered' });
    this.log.error(
      {
        group: registration.group,
        topic,
        dlq,
        partition,
        offset: message.offset,
        eventId: event?.id ?? headerText(message, CE_HEADERS.id),
        eventType: event?.type ?? headerText(message, CE_HEADERS.type),
        attempts,
        reason: truncate(reason, MAX_ERROR_LENGTH),
      },
      'message dead-lettered',
    );
  }

  /**
   * Per consumer group and topic, the messages not committed yet: the partitions' high watermarks
   * minus the group's committed offsets (a partition the group never committed counts from its low
   * watermark). Asks the broker (admin client, connected on first use).
   */
  async lag(): Promise<{ group: string; topic: string; lag: number }[]> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const ends = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
    const out: { group: string; topic: string; lag: number }[] = [];
    for (const reg of this.opts.registrations) {
      const groupId = `${this.opts.topicPrefix}${reg.group}`;
      for (const topic of reg.contexts.map((ctx) => topicFor(ctx, this.opts.topicPrefix))) {
        // one topic at a time: a topic nothing was published to yet may not exist, which is no lag
        let committed: { partition: number; offset: string }[];
        let byPartition: Map<number, { high: string; low: string }>;
        try {
          if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(topic));
          byPartition = new Map((await ends.get(topic)!).map((p) => [p.partition, p]));
          committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
        } catch {
          continue;
        }
        let lag = 0;
        for (const p of committed) {
          const end = byPartition.get(p.partition);
          if (!end) continue;
          const from = Number(p.offset) >= 0 ? Number(p.offset) : Number(end.low);
          lag += Math.max(0, Number(end.high) - from);
        }
        out.push({ group: reg.group, topic, lag });
      }
    }
    return out;
  }

  /** false once a consumer stopped for good after a crash (for readiness probes and alerts). */
  healthy(): boolean {
    return this.started && !this.stopping && this.dead.size === 0;
  }

  /** Stops every consumer (letting the message in hand finish) and the dead-letter producer. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSignal.abort();
    const results = await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    if (this.dlqProducer) results.push(...(await Promise.allSettled([this.dlqProducer.disconnect()])));
    if (this.admin) results.push(...(await Promise.allSettled([this.admin.disconnect()])));
    for (const r of results) {
      if (r.status === 'rejected')
        this.log.warn({ err: r.reason }, 'kafka client did not disconnect cleanly');
    }
    this.log.info({ consumers: this.consumers.length }, 'kafka consumers stopped');
  }
}

/** A header as text, for log lines about a message that may not be a valid CloudEvent. */
const headerText = (message: KafkaMessage, name: string): string | undefined => {
  const raw = message.headers?.[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : String(first);
};

/**
 * kafkajs stops a consumer for good on a non-retriable error; whatever we throw must make it retry the
 * message (and restart the consumer when its retries run out) instead of stalling the partition.
 */
const asRetriable = (err: unknown): InstanceType<typeof KafkaJSError> =>
  err instanceof KafkaJSError && err.retriable
    ? err
    : new KafkaJSError(err instanceof Error ? err.message : String(err), { retriable: true });
