import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/**
 * Items staged on an open TypeORM transaction and settled with it, savepoint by savepoint: the items
 * of a released savepoint join the level around it, those of a savepoint rolled back to are dropped,
 * and at the outer level they are handed to `beforeCommit` (awaited by TypeORM before it sends COMMIT;
 * a throw fails the commit, and TypeORM rolls back) or `afterCommit` (after COMMIT succeeded), or
 * dropped on rollback.
 */
export class TransactionStaging<T> {
  private readonly pending = new WeakMap<QueryRunner, Staged<T>[]>();
  private readonly installed = new WeakSet<DataSource>();

  constructor(
    private readonly hooks: {
      beforeCommit?: (runner: QueryRunner, items: T[]) => Promise<void>;
      afterCommit?: (items: T[]) => void;
    },
  ) {}

  /** Stages `item` on the runner's open transaction; false (nothing staged) when none is open. */
  add(runner: QueryRunner | undefined, item: T): boolean {
    if (!runner?.isTransactionActive) return false;
    this.install(runner.dataSource);
    const list = this.pending.get(runner) ?? [];
    list.push({ depth: depthOf(runner), item });
    this.pending.set(runner, list);
    return true;
  }

  private readonly subscriber: EntitySubscriberInterface = {
    beforeTransactionCommit: async (event) => {
      const runner = event.queryRunner;
      const before = this.hooks.beforeCommit;
      // depth is not decremented yet: 1 is the outer COMMIT, more a savepoint release
      if (!before || !runner || depthOf(runner) !== 1) return;
      const list = this.pending.get(runner);
      if (!list) return;
      this.pending.delete(runner);
      await before(
        runner,
        list.map((s) => s.item),
      );
    },
    afterTransactionCommit: (event) => this.settle(event.queryRunner, 'commit'),
    afterTransactionRollback: (event) => this.settle(event.queryRunner, 'rollback'),
  };

  /** After TypeORM committed or rolled back one level (the depth is already decremented). */
  private settle(runner: QueryRunner | undefined, outcome: 'commit' | 'rollback'): void {
    if (!runner) return;
    const list = this.pending.get(runner);
    if (!list) return;
    const depth = depthOf(runner);
    const kept =
      outcome === 'rollback'
        ? list.filter((s) => s.depth <= depth)
        : list.map((s) => ({ ...s, depth: Math.min(s.depth, depth) }));
    if (runner.isTransactionActive && depth > 0) {
      this.pending.set(runner, kept);
      return;
    }
    this.pending.delete(runner);
    if (outcome === 'commit') this.hooks.afterCommit?.(kept.map((s) => s.item));
  }

  /** One subscriber per data source, added after `initialize()` (which replaces the subscriber list). */
  private install(ds: DataSource): void {
    if (this.installed.has(ds)) return;
    this.installed.add(ds);
    ds.subscribers.push(this.subscriber);
  }
}

interface Staged<T> {
  /** the transaction depth it was staged at: 1 for the outer transaction, 2+ inside savepoints */
  depth: number;
  item: T;
}

/** TypeORM keeps the savepoint depth on the query runner (protected in its typings). */
const depthOf = (runner: QueryRunner): number =>
  (runner as unknown as { transactionDepth: number }).transactionDepth;
