import { EntitySchema } from 'typeorm';

/**
 * The status-history tables of aggregates with a state machine (orders, shipments): one row shape —
 * `(owner, position, from_status, status, at, reason, actor_kind, actor_id)` — written here once: the
 * TypeORM entity schema, the `INSERT … SELECT … unnest` that appends the unsaved entries in the
 * statement that writes the aggregate, and the json subquery that reads them back, oldest first.
 */
export interface StatusHistoryEntry {
  from: string | null;
  status: string;
  at: Date;
  reason: string | null;
  actor: { kind: string; id?: string | undefined };
}

/** A status-history table: its name and the column holding its owner's id (`order_id`, `shipment_id`). */
export interface StatusHistoryTable {
  readonly table: string;
  readonly ownerColumn: string;
}

/** An aggregate with a status history: every entry in its snapshot, and those added since its last write. */
export interface WithStatusHistory {
  snapshot(): { history: readonly StatusHistoryEntry[] };
  unsavedHistory(): readonly StatusHistoryEntry[];
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

/** The aggregate's unsaved entries as the column arrays of {@link historyInsert}. */
export const unsavedHistoryColumns = (aggregate: WithStatusHistory): unknown[][] =>
  historyColumns(aggregate.snapshot().history, aggregate.unsavedHistory());

/** `unnest(…)` of the seven columns of {@link historyColumns}, bound from parameter `$from` on. */
export const historyUnnest = (from: number): string =>
  `unnest($${from}::smallint[], $${from + 1}::text[], $${from + 2}::text[], $${from + 3}::timestamptz[],
          $${from + 4}::text[], $${from + 5}::text[], $${from + 6}::uuid[])`;

/**
 * The statement (a data-modifying CTE's body) that appends the unsaved entries of the aggregate whose
 * row the CTE `source` returned (`RETURNING id`), the seven arrays bound from parameter `$from` on.
 */
export const historyInsert = (t: StatusHistoryTable, source: string, from: number): string =>
  `INSERT INTO ${t.table} (${t.ownerColumn}, position, from_status, status, at, reason, actor_kind, actor_id)
         SELECT ${source}.id, y.* FROM ${source}, ${historyUnnest(from)} AS y`;

/** One entry as {@link historyJson} returns it (json: the instant as an ISO string). */
export interface StatusHistoryJson<S extends string = string, K extends string = string> {
  from: S | null;
  status: S;
  at: string;
  reason: string | null;
  actorKind: K;
  actorId: string | null;
}

/** A subquery: the history of the owner whose id is `ownerRef`, as a json array oldest first ({@link StatusHistoryJson}). */
export const historyJson = (t: StatusHistoryTable, ownerRef: string): string =>
  `(SELECT coalesce(json_agg(json_build_object(
      'from', h.from_status, 'status', h.status, 'at', h.at, 'reason', h.reason,
      'actorKind', h.actor_kind, 'actorId', h.actor_id)
    ORDER BY h.position), '[]'::json)
   FROM ${t.table} h WHERE h.${t.ownerColumn} = ${ownerRef})`;

/** A row of a status-history table, the owner's id under `O`. */
export type StatusHistoryRow<O extends string> = { [key in O]: string } & {
  position: number;
  fromStatus: string | null;
  status: string;
  at: Date;
  reason: string | null;
  actorKind: string;
  actorId: string | null;
};

/** The TypeORM entity schema of a status-history table (its owner's id under `ownerProperty`). */
export const statusHistoryEntitySchema = <O extends string>(
  name: string,
  t: StatusHistoryTable,
  ownerProperty: O,
): EntitySchema<StatusHistoryRow<O>> =>
  new EntitySchema<StatusHistoryRow<O>>({
    name,
    tableName: t.table,
    columns: {
      [ownerProperty]: { type: 'uuid', primary: true, name: t.ownerColumn },
      position: { type: 'smallint', primary: true },
      fromStatus: { type: 'text', name: 'from_status', nullable: true },
      status: { type: 'text' },
      at: { type: 'timestamptz' },
      reason: { type: 'text', nullable: true },
      actorKind: { type: 'text', name: 'actor_kind' },
      actorId: { type: 'uuid', name: 'actor_id', nullable: true },
    } as ConstructorParameters<typeof EntitySchema<StatusHistoryRow<O>>>[0]['columns'],
  });
