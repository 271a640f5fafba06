/**
 * The status-history tables of aggregates with a state machine (orders, shipments) share one row
 * shape — `(owner, position, from_status, status, at, reason, actor_kind, actor_id)` — and are
 * appended in the statement that writes the aggregate, through `unnest` of column arrays.
 */
export interface StatusHistoryEntry {
  from: string | null;
  status: string;
  at: Date;
  reason: string | null;
  actor: { kind: string; id?: string | undefined };
}

/**
 * The entries not saved yet as the seven column arrays of {@link historyUnnest}, positions continuing
 * the saved ones (`all` holds every entry, `unsaved` its tail that was added since the last write).
 */
export const historyColumns = (
  all: readonly StatusHistoryEntry[],
  unsaved: readonly StatusHistoryEntry[],
): unknown[][] => {
  const first = all.length - unsaved.length;
  return [
    unsaved.map((_, i) => first + i),
    unsaved.map((h) => h.from),
    unsaved.map((h) => h.status),
    unsaved.map((h) => h.at),
    unsaved.map((h) => h.reason),
    unsaved.map((h) => h.actor.kind),
    unsaved.map((h) => h.actor.id ?? null),
  ];
};

/** `unnest(…)` of the seven columns of {@link historyColumns}, bound from parameter `$from` on. */
export const historyUnnest = (from: number): string =>
  `unnest($${from}::smallint[], $${from + 1}::text[], $${from + 2}::text[], $${from + 3}::timestamptz[],
          $${from + 4}::text[], $${from + 5}::text[], $${from + 6}::uuid[])`;

/** The columns of a status-history table besides its owner's id (for the tables' TypeORM EntitySchema). */
export const STATUS_HISTORY_COLUMNS = {
  position: { type: 'smallint', primary: true },
  fromStatus: { type: 'text', name: 'from_status', nullable: true },
  status: { type: 'text' },
  at: { type: 'timestamptz' },
  reason: { type: 'text', nullable: true },
  actorKind: { type: 'text', name: 'actor_kind' },
  actorId: { type: 'uuid', name: 'actor_id', nullable: true },
} as const;
