/** What the in-memory repositories keep of an aggregate: its props, with an id and a version. */
interface Row {
  id: string;
  version: number;
}

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
