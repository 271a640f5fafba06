/** What the in-memory repositories keep of an aggregate: its props, with an id and a version. */
interface Row {
  id: string;
  version: number;
}

/** Where a keyset page of rows ordered by `(createdAt, id)` ends. */
export interface CreatedPosition {
  createdAt: Date;
  id: string;
}

/** Oldest first: `(createdAt, id)` ascending, as the SQL listings order them. */
export const oldestFirst = (a: CreatedPosition, b: CreatedPosition): number =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A keyset page of the rows `matches` keeps, oldest first after `after`, as the SQL listings answer
 * them: up to `limit` of them made into aggregates by `restore`, and where the next page starts (null
 * on the last page).
 */
export const pageOldestFirst = <P extends CreatedPosition, A>(
  rows: Iterable<P>,
  matches: (row: P) => boolean,
  limit: number,
  after: CreatedPosition | null,
  restore: (row: P) => A,
): { items: A[]; next: CreatedPosition | null } => {
  const matching = [...rows]
    .filter((r) => matches(r) && (!after || oldestFirst(r, after) > 0))
    .sort(oldestFirst);
  const last = matching[Math.min(limit, matching.length) - 1];
  return {
    items: matching.slice(0, limit).map(restore),
    next: matching.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
};

/** An aggregate the way its repository sees it: a snapshot of props out, the saved version in. */
interface Versioned<P extends Row> {
  snapshot(): P;
  markSaved(version: number): void;
}

/**
 * The part every in-memory repository of a versioned aggregate shares, for use-case unit tests: it
 * keeps copies of the props (a change to an aggregate is stored only when saved, like a row), hands out
 * a fresh aggregate on every read, refuses an insert that a unique constraint would (`clashes`) and a
 * save of a stale copy (optimistic version, as the SQL repositories do). `locks` records the ids read
 * for update, in order; subclasses add their own queries over `rows`.
 */
export abstract class InMemoryVersionedRows<P extends Row, A extends Versioned<P>> {
  readonly rows = new Map<string, P>();
  readonly locks: string[] = [];

  protected constructor(
    /** names the aggregate in the stale-save error */
    private readonly kind: string,
    private readonly restoreRow: (props: P) => A,
    /** true when `row` already holds what a unique constraint keeps to one `candidate` */
    private readonly clashes: (row: P, candidate: P) => boolean = () => false,
  ) {}

  async insert(aggregate: A): Promise<boolean> {
    const s = aggregate.snapshot();
    if (this.rows.has(s.id) || [...this.rows.values()].some((r) => this.clashes(r, s))) return false;
    this.rows.set(s.id, structuredClone({ ...s, version: 0 }));
    aggregate.markSaved(0);
    return true;
  }

  async find(id: string): Promise<A | null> {
    const row = this.rows.get(id);
    return row ? this.restore(row) : null;
  }

  async findForUpdate(id: string): Promise<A | null> {
    this.locks.push(id);
    return this.find(id);
  }

  async save(aggregate: A): Promise<void> {
    const s = aggregate.snapshot();
    const row = this.rows.get(s.id);
    if (!row || row.version !== s.version)
      throw new Error(`${this.kind} ${s.id} changed since it was read (version ${s.version})`);
    this.rows.set(s.id, structuredClone({ ...s, version: s.version + 1 }));
    aggregate.markSaved(s.version + 1);
  }

  /** A fresh aggregate over a copy of the stored row. */
  protected restore(row: P): A {
    return this.restoreRow(structuredClone(row));
  }
}
