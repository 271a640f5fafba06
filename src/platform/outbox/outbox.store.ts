import type { EntityManager } from 'typeorm';
import type { IntegrationEvent } from '../messaging/integration-event.js';

/** Number of relay shards. A subject always hashes to the same shard, and one relay owns a shard at a time. */
export const OUTBOX_SHARDS = 16;

/** Writes events to the outbox table inside the caller's transaction (one multi-row INSERT). */
export const insertOutboxEvents = async (
  manager: EntityManager,
  events: IntegrationEvent[],
): Promise<void> => {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    const o = i * 9;
    values.push(
      e.id,
      e.context,
      e.type,
      e.source,
      e.subject,
      e.time,
      JSON.stringify(e.data),
      e.traceparent ?? null,
    );
    values.push(null);
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}::jsonb, $${o + 8}, $${o + 9})`;
  });
  await manager.query(
    `INSERT INTO outbox (id, context, type, source, subject, occurred_at, data, traceparent, last_error) VALUES ${rows.join(', ')}`,
    values,
  );
};

export interface OutboxRow {
  seq: string;
  id: string;
  context: string;
  type: string;
  source: string;
  subject: string;
  occurred_at: Date;
  data: Record<string, unknown>;
  traceparent: string | null;
  created_at: Date;
}

export const rowToEvent = (row: OutboxRow): IntegrationEvent => ({
  id: row.id,
  context: row.context,
  type: row.type,
  source: row.source,
  subject: row.subject,
  time: new Date(row.occurred_at).toISOString(),
  data: row.data,
  ...(row.traceparent ? { traceparent: row.traceparent } : {}),
});
