import type { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { fromKafkaMessage } from './cloudevents.js';
import { type EventHandlerRegistration, processEvent } from './consumer.js';

/** A parked event as staff see it (no payload: it is the event's data, shown by id and type only). */
export interface DeadLetterView {
  id: string;
  consumerGroup: string;
  topic: string;
  eventId: string | null;
  eventType: string | null;
  error: string;
  attempts: number;
  createdAt: string;
}

interface DeadLetterRow {
  id: string;
  consumer_group: string;
  topic: string;
  event_id: string | null;
  event_type: string | null;
  payload: unknown;
  headers: Record<string, string>;
  error: string;
  attempts: number;
  created_at: Date;
}

const toView = (r: DeadLetterRow): DeadLetterView => ({
  id: r.id,
  consumerGroup: r.consumer_group,
  topic: r.topic,
  eventId: r.event_id,
  eventType: r.event_type,
  error: r.error,
  attempts: r.attempts,
  createdAt: r.created_at.toISOString(),
});

/**
 * The dead letters of embedded mode (the `dead_letters` table the in-process bus parks events in;
 * with Kafka they are on `<topic>.dlq`, replayed by `npm run dlq:replay`). `replay` hands a parked
 * event to the consumer group that parked it again, through the same inbox, in this process: once
 * it goes through (or the group had handled it meanwhile) the row is removed; when it fails again it
 * stays, with the new error and attempt count, and the caller hears why (409).
 */
export class DeadLetters {
  constructor(
    private readonly opts: {
      dataSource: DataSource;
      registrations: () => readonly EventHandlerRegistration[];
      logger: Logger;
      metrics?: Metrics;
      /** handler attempts of one replay; default 3 */
      maxAttempts?: number;
    },
  ) {}

  /** Newest first, at most `limit`, before the row `before` (its id) when given. */
  async list(
    limit: number,
    before: string | null,
  ): Promise<{ items: DeadLetterView[]; next: string | null }> {
    const rows: DeadLetterRow[] = await this.opts.dataSource.query(
      `SELECT * FROM dead_letters d
       ${before ? 'WHERE (d.created_at, d.id) < (SELECT created_at, id FROM dead_letters WHERE id = $2)' : ''}
       ORDER BY d.created_at DESC, d.id DESC LIMIT $1`,
      before ? [limit + 1, before] : [limit + 1],
    );
    const items = rows.slice(0, limit).map(toView);
    return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  async replay(id: string): Promise<{ id: string; outcome: 'processed' | 'duplicate' | 'skipped' }> {
    const [row]: DeadLetterRow[] = await this.opts.dataSource.query(
      'SELECT * FROM dead_letters WHERE id = $1',
      [id],
    );
    if (!row) throw new NotFoundError('Dead letter');
    const registration = this.opts.registrations().find((r) => r.group === row.consumer_group);
    if (!registration) {
      throw new ConflictError(`No consumer group ${row.consumer_group} runs in this process`);
    }
    let event: ReturnType<typeof fromKafkaMessage>;
    try {
      event = fromKafkaMessage(row.topic, {
        key: null,
        value: JSON.stringify(row.payload),
        headers: row.headers,
      });
    } catch (err) {
      throw new ConflictError(`The parked message is not a valid event: ${(err as Error).message}`);
    }
    const result = await processEvent(this.opts.dataSource, registration, event, {
      maxAttempts: this.opts.maxAttempts ?? 3,
      logger: this.opts.logger,
      ...(this.opts.metrics ? { metrics: this.opts.metrics } : {}),
    });
    if (result.outcome === 'failed') {
      const error = (result.error?.message ?? 'handler failed').slice(0, 1000);
      await this.opts.dataSource.query(
        'UPDATE dead_letters SET error = $2, attempts = attempts + $3 WHERE id = $1',
        [id, error, result.attempts],
      );
      throw new ConflictError(`The event failed again and stays parked: ${error}`);
    }
    await this.opts.dataSource.query('DELETE FROM dead_letters WHERE id = $1', [id]);
    this.opts.logger.info(
      {
        deadLetterId: id,
        group: row.consumer_group,
        eventId: event.id,
        eventType: event.type,
        outcome: result.outcome,
      },
      'dead letter replayed',
    );
    return { id, outcome: result.outcome };
  }
}
