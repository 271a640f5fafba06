import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { asHandle } from '../db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../db/unit-of-work.js';
import type { Logger } from '../logging/logger.js';
import { retryPolicy } from '../resilience/retry.js';
import type { Metrics } from '../telemetry/metrics.js';
import { type IntegrationEvent, topicFor } from './integration-event.js';

/**
 * One idempotent consumer of integration events. `group` names it in the inbox (and, with the topic
 * prefix, is its Kafka consumer group), so it must be unique and never change once events flowed.
 */
export interface EventHandlerRegistration {
  group: string;
  /** contexts whose topics it reads, e.g. ['orders', 'payments'] */
  contexts: readonly string[];
  /** ce_types it handles; other events of those contexts are skipped. All when absent. */
  types?: readonly string[];
  /**
   * Applies the event inside the inbox transaction `tx`; throwing rolls back its effects and the inbox
   * row, and the event is retried.
   */
  handle(event: IntegrationEvent, tx: TransactionHandle): Promise<void>;
}

export type ProcessOutcome = 'processed' | 'duplicate' | 'skipped' | 'failed';

export interface ProcessResult {
  outcome: ProcessOutcome;
  /** handler attempts made (0 for skipped) */
  attempts: number;
  /** the last error, when the outcome is `failed` */
  error?: Error;
}

export interface ProcessOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  logger: Logger;
  /** When given, records processed/duplicate/skipped and the lag; dead-lettering is the caller's. */
  metrics?: Metrics;
  /** Topic label of the metrics; defaults to the unprefixed topic of the event's context. */
  topic?: string;
}

/**
 * The database could not be reached, so nothing can be said about the handler: the caller must retry the
 * delivery later (the inbox makes that safe) rather than dead-letter the event.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

export { isDatabaseUnavailable } from '../db/database-errors.js';

/** true when the database answers a trivial query. */
export const databaseAnswers = async (dataSource: DataSource): Promise<boolean> => {
  try {
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
};

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

const INSERT_INBOX = `
  INSERT INTO inbox (consumer_group, event_id, event_type)
  VALUES ($1, $2, $3)
  ON CONFLICT (consumer_group, event_id) DO NOTHING
  RETURNING event_id`;

/**
 * Delivers one event to one registration, exactly once in effect: every attempt is one transaction that
 * first claims the event in the inbox (`ON CONFLICT DO NOTHING`) and then runs the handler on the same
 * transaction. An event already in the inbox is a duplicate and changes nothing. A throwing handler rolls
 * the attempt back and is retried with backoff; after `maxAttempts` the outcome is `failed` (the caller
 * parks the event). Rejects with {@link DatabaseUnavailableError} when the database cannot be reached.
 */
export const processEvent = async (
  dataSource: DataSource,
  registration: EventHandlerRegistration,
  event: IntegrationEvent,
  options: ProcessOptions,
): Promise<ProcessResult> => {
  const { baseDelayMs = 100, maxDelayMs = 5_000, logger, metrics } = options;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
  const labels = { group: registration.group, topic: options.topic ?? topicFor(event.context) };
  const done = (result: ProcessResult): ProcessResult => {
    if (metrics) {
      if (result.outcome !== 'failed') metrics.consumerProcessed.inc({ ...labels, outcome: result.outcome });
      const time = Date.parse(event.time);
      if (!Number.isNaN(time)) metrics.consumerLag.set(labels, Math.max(0, (Date.now() - time) / 1000));
    }
    return result;
  };

  if (registration.types && !registration.types.includes(event.type)) {
    return done({ outcome: 'skipped', attempts: 0 });
  }

  const log = { group: registration.group, eventId: event.id, eventType: event.type };
  let attempts = 0;
  let lastError: Error | undefined;
  // every attempt is its own inbox transaction; an unreachable database is not the handler's fault
  // and leaves at once (DatabaseUnavailableError), any other error is retried with backoff
  const policy = retryPolicy({
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    retryOn: (err) => !(err instanceof DatabaseUnavailableError),
    onRetry: ({ err, attempt, delayMs }) =>
      logger.warn(
        { ...log, attempt, maxAttempts, delayMs, err: toError(err) },
        'event handler failed; retrying',
      ),
  });
  try {
    const claimed = await policy.execute(async ({ attempt }) => {
      attempts = attempt + 1;
      try {
        return await dataSource.transaction(async (manager) => {
          const rows: unknown[] = await manager.query(INSERT_INBOX, [
            registration.group,
            event.id,
            event.type,
          ]);
          if (rows.length === 0) return false;
          await registration.handle(event, asHandle(manager));
          return true;
        });
      } catch (err) {
        // A network-looking error may come from the handler's own dependencies: ask the database itself.
        if (isDatabaseUnavailable(err) && !(await databaseAnswers(dataSource))) {
          throw new DatabaseUnavailableError(err);
        }
        lastError = toError(err);
        throw lastError;
      }
    });
    if (!claimed) {
      logger.debug(log, 'event already processed; skipping duplicate');
      return done({ outcome: 'duplicate', attempts });
    }
    if (attempts > 1) logger.info({ ...log, attempt: attempts }, 'event handler succeeded after retries');
    return done({ outcome: 'processed', attempts });
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) throw err;
  }
  logger.error({ ...log, attempts, err: lastError }, 'event handler failed on every attempt');
  return done({ outcome: 'failed', attempts, error: lastError ?? new Error('handler failed') });
};
