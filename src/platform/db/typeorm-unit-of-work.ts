import type { DataSource, EntityManager } from 'typeorm';
import type { AggregateRoot } from '../domain/aggregate-root.js';
import type { IntegrationEvent } from '../messaging/integration-event.js';
import { insertOutboxEvents } from '../outbox/outbox.store.js';
import { currentTraceparent } from '../telemetry/tracing.js';
import { currentRequestTransaction } from './request-transaction.js';
import { TransactionStaging } from './transaction-staging.js';
import type {
  IntegrationEventMapper,
  TransactionHandle,
  UnitOfWork,
  UnitOfWorkScope,
} from './unit-of-work.js';

export const asHandle = (manager: EntityManager): TransactionHandle =>
  manager as unknown as TransactionHandle;
export const asManager = (tx: TransactionHandle): EntityManager => tx as unknown as EntityManager;

/**
 * TypeORM unit of work: repositories built on the transaction's EntityManager, domain events of
 * tracked aggregates mapped and written to the outbox table before COMMIT — the events of every unit
 * of work in one transaction in a single INSERT, in the order they were staged (see `stageOutbox`).
 */
export class TypeOrmUnitOfWork<R> implements UnitOfWork<R> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly makeRepos: (manager: EntityManager) => R,
    private readonly mapEvent: IntegrationEventMapper = () => null,
  ) {}

  async run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    const effects: (() => Promise<void> | void)[] = [];
    const result = await this.dataSource.transaction((manager) => this.inside(manager, work, effects));
    if (effects.length === 0) return result;
    // in a write request whose commit waits for its answer, after that commit (request-transaction.ts)
    const request = currentRequestTransaction();
    if (request?.pending) for (const effect of effects) request.afterCommit(effect);
    else for (const effect of effects) await effect();
    return result;
  }

  join<T>(tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return this.inside(asManager(tx), work, null);
  }

  private async inside<T>(
    manager: EntityManager,
    work: (scope: UnitOfWorkScope<R>) => Promise<T>,
    effects: (() => Promise<void> | void)[] | null,
  ): Promise<T> {
    const tracked = new Set<AggregateRoot>();
    const emitted: IntegrationEvent[] = [];
    const scope: UnitOfWorkScope<R> = {
      repos: this.makeRepos(manager),
      tx: asHandle(manager),
      track: (aggregate) => {
        tracked.add(aggregate);
        return aggregate;
      },
      emit: (event) => {
        emitted.push(event);
      },
      afterCommit: (effect) => {
        if (!effects) throw new Error('afterCommit needs a unit of work of its own (run), not join');
        effects.push(effect);
      },
    };
    const result = await work(scope);
    const events: IntegrationEvent[] = [];
    for (const aggregate of tracked) {
      for (const domainEvent of aggregate.pullEvents()) {
        const integration = this.mapEvent(domainEvent);
        if (integration) events.push(integration);
      }
    }
    events.push(...emitted);
    const traceparent = events.length > 0 ? currentTraceparent() : undefined;
    await stageOutbox(
      manager,
      traceparent ? events.map((e) => (e.traceparent ? e : { ...e, traceparent })) : events,
    );
    return result;
  }
}

/**
 * The outbox rows of a transaction wait for its COMMIT and go in one INSERT just before it (TypeORM
 * awaits its before-commit broadcast; a failed INSERT fails the commit and the transaction rolls back):
 * a checkout step in which orders, payments and inventory each emit costs one round trip for its
 * events instead of one per context. Rows staged inside a savepoint that is rolled back are dropped
 * with it. Without an open transaction the rows are written at once.
 */
const outboxStaging = new TransactionStaging<IntegrationEvent[]>({
  beforeCommit: (runner, batches) => insertOutboxEvents(runner.manager, batches.flat()),
});

const stageOutbox = async (manager: EntityManager, events: IntegrationEvent[]): Promise<void> => {
  if (events.length === 0) return;
  if (!outboxStaging.add(manager.queryRunner, events)) await insertOutboxEvents(manager, events);
};

/**
 * Reads: outside a transaction (one pooled connection per query) with `run`, or on the connection of
 * a transaction the caller holds with `join` — a use case inside a transaction never asks the pool for
 * a second connection (connection-guard.ts). Tracking aggregates or emitting events here is a
 * programming error: writes belong in a TypeOrmUnitOfWork.
 */
export class TypeOrmReader<R> implements UnitOfWork<R> {
  private readonly repos: R;
  constructor(
    dataSource: DataSource,
    private readonly makeRepos: (manager: EntityManager) => R,
  ) {
    this.repos = makeRepos(dataSource.manager);
  }

  run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return work(readOnlyScope(this.repos, asHandle(null as unknown as EntityManager)));
  }

  join<T>(tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return work(readOnlyScope(this.makeRepos(asManager(tx)), tx));
  }
}

const readOnlyScope = <R>(repos: R, tx: TransactionHandle): UnitOfWorkScope<R> => ({
  repos,
  tx,
  track: () => {
    throw new Error('TypeOrmReader is read-only: use a unit of work to change aggregates');
  },
  emit: () => {
    throw new Error('TypeOrmReader is read-only: use a unit of work to emit events');
  },
  afterCommit: () => {
    throw new Error('TypeOrmReader is read-only: nothing of it commits');
  },
});

/** Where a raw statement runs: on the caller's transaction when it holds one, else on the pool. */
export const executorFor = (dataSource: DataSource, tx?: TransactionHandle): EntityManager =>
  tx ? asManager(tx) : dataSource.manager;

/**
 * Rows of a raw `UPDATE … RETURNING` / `DELETE … RETURNING`: TypeORM's Postgres driver answers those
 * with `[rows, affectedCount]`, but plain rows for SELECT and INSERT.
 */
export const returnedRows = <T>(result: unknown): T[] =>
  (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? result[0]
    : result) as T[];
