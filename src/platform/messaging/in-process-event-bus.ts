import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { toKafkaMessage } from './cloudevents.js';
import { type EventHandlerRegistration, type ProcessResult, processEvent } from './consumer.js';
import type { EventPublisher } from './event-publisher.js';
import { type IntegrationEvent, topicFor } from './integration-event.js';

export interface InProcessEventBusOptions {
  dataSource: DataSource;
  logger: Logger;
  metrics?: Metrics;
  /** handler attempts before an event is parked in dead_letters; default 5 */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const MAX_ERROR_LENGTH = 1000;

/** Parks an event once per consumer group, however often the relay redelivers it. */
const INSERT_DEAD_LETTER = `
  INSERT INTO dead_letters (id, consumer_group, topic, event_id, event_type, payload, headers, error, attempts)
  SELECT $1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9
  WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE consumer_group = $2 AND event_id = $4)`;

/**
 * The event publisher of embedded mode (no KAFKA_BROKERS): the outbox relay hands events straight to
 * the registered handlers in this process, through the same inbox as the Kafka consumers, and
 * `publish` resolves only once every handler ran, so the relay marks an event published only then.
 * An event whose handler fails on every attempt is parked in `dead_letters`; an unreachable database
 * makes `publish` reject, and the relay tries again later (the inbox drops what already ran).
 */
export class InProcessEventBus implements EventPublisher {
  readonly kind = 'in-process' as const;
  private readonly registrations: EventHandlerRegistration[] = [];
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: InProcessEventBusOptions) {
    this.log = opts.logger.child({ component: 'in-process-bus' });
  }

  register(registration: EventHandlerRegistration): void {
    if (this.registrations.some((r) => r.group === registration.group)) {
      throw new Error(`consumer group ${registration.group} is registered twice`);
    }
    if (registration.contexts.length === 0)
      throw new Error(`consumer group ${registration.group} reads no context`);
    this.registrations.push(registration);
  }

  async connect(): Promise<void> {}

  /** Delivers the events in order, each to every registration that reads its context. */
  async publish(events: IntegrationEvent[]): Promise<void> {
    if (this.closed) throw new Error('InProcessEventBus is closed');
    for (const event of events) {
      for (const registration of this.registrations) {
        if (!registration.contexts.includes(event.context)) continue;
        const result = await processEvent(this.opts.dataSource, registration, event, {
          maxAttempts: this.opts.maxAttempts,
          baseDelayMs: this.opts.baseDelayMs,
          maxDelayMs: this.opts.maxDelayMs,
          logger: this.log,
          metrics: this.opts.metrics,
        });
        if (result.outcome === 'failed') await this.deadLetter(registration, event, result);
      }
    }
  }

  private async deadLetter(
    registration: EventHandlerRegistration,
    event: IntegrationEvent,
    result: ProcessResult,
  ): Promise<void> {
    const topic = topicFor(event.context);
    const message = toKafkaMessage(event);
    const error = (result.error?.message ?? 'handler failed').slice(0, MAX_ERROR_LENGTH);
    await this.opts.dataSource.query(INSERT_DEAD_LETTER, [
      randomUUID(),
      registration.group,
      topic,
      event.id,
      event.type,
      message.value,
      JSON.stringify(message.headers),
      error,
      result.attempts,
    ]);
    this.opts.metrics?.consumerProcessed.inc({ group: registration.group, topic, outcome: 'dead_lettered' });
    this.log.error(
      {
        group: registration.group,
        eventId: event.id,
        eventType: event.type,
        attempts: result.attempts,
        reason: error,
      },
      'event dead-lettered',
    );
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
