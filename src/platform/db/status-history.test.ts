import { describe, expect, it } from 'vitest';
import {
  historyInsert,
  historyJson,
  type StatusHistoryEntry,
  statusHistoryEntitySchema,
  unsavedHistoryColumns,
} from './status-history.js';

const T = { table: 'things_status_history', ownerColumn: 'thing_id' };
const entry = (status: string, from: string | null, id?: string): StatusHistoryEntry => ({
  from,
  status,
  at: new Date(`2026-01-0${status.length}T00:00:00Z`),
  reason: null,
  actor: id ? { kind: 'staff', id } : { kind: 'system' },
});

describe('status history', () => {
  it('writes only the unsaved entries, their positions continuing the saved ones', () => {
    const all = [entry('a', null), entry('bb', 'a'), entry('ccc', 'bb', 'u1')];
    const columns = unsavedHistoryColumns({
      snapshot: () => ({ history: all }),
      unsavedHistory: () => all.slice(1),
    });
    expect(columns).toEqual([
      [1, 2],
      ['a', 'bb'],
      ['bb', 'ccc'],
      [all[1]!.at, all[2]!.at],
      [null, null],
      ['system', 'staff'],
      [null, 'u1'],
    ]);
  });

  it('appends into the table under its owner column, the seven arrays bound from the given parameter', () => {
    const sql = historyInsert(T, 'u', 6).replace(/\s+/g, ' ');
    expect(sql).toBe(
      'INSERT INTO things_status_history (thing_id, position, from_status, status, at, reason, actor_kind, actor_id) ' +
        'SELECT u.id, y.* FROM u, unnest($6::smallint[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::uuid[]) AS y',
    );
  });

  it('reads the owner’s entries back oldest first', () => {
    const sql = historyJson(T, 's.id').replace(/\s+/g, ' ');
    expect(sql).toContain('ORDER BY h.position');
    expect(sql).toContain('FROM things_status_history h WHERE h.thing_id = s.id');
  });

  it('describes the table to TypeORM with the owner and position as its key', () => {
    const schema = statusHistoryEntitySchema('Things', T, 'thingId');
    expect(schema.options.tableName).toBe('things_status_history');
    const columns = schema.options.columns as Record<string, { name?: string; primary?: boolean }>;
    expect(Object.keys(columns)).toEqual([
      'thingId',
      'position',
      'fromStatus',
      'status',
      'at',
      'reason',
      'actorKind',
      'actorId',
    ]);
    expect(columns.thingId).toMatchObject({ name: 'thing_id', primary: true });
    expect(columns.position?.primary).toBe(true);
  });
});
