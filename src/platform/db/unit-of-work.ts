import type { AggregateRoot, DomainEvent } from '../domain/aggregate-root.js';
import type { IntegrationEvent } from '../messaging/integration-event.js';

declare const transactionBrand: unique symbol;
/** An open database transaction, opaque outside the persistence adapters. */
export type TransactionHandle = { readonly [transactionBrand]: true };

/** What a use case gets inside one transaction: its repositories and the outbox. */
export interface UnitOfWorkScope<R> {
  readonly repos: R;
  readonly tx: TransactionHandle;
  /** Remember an aggregate whose recorded domain events must be drained before commit. */
  track<A extends AggregateRoot>(aggregate: A): A;
  /** Add an integration event to the outbox of this transaction. */
  emit(event: IntegrationEvent): void;
  /**
   * An effect outside the database that must follow the commit and never happen without it — a cache
   * invalidation, a refresh of an in-memory index. With `run`, awaited after COMMIT before `run`
   * resolves; in a write request, after the request's COMMIT, before its answer is sent
   * (request-transaction.ts). Not available with `join`: the owner of the transaction decides when it
   * commits.
   */
  afterCommit(effect: () => Promise<void> | void): void;
}

/** Turns a context's domain events into the integration events of docs/product/events.md (null: internal only). */
export type IntegrationEventMapper = (event: DomainEvent) => IntegrationEvent | null;

/**
 * Runs use-case work in one transaction. Before commit, the events of tracked aggregates are drained,
 * mapped to integration events and written to the outbox with the ones emitted directly; if the work
 * throws, nothing of it — rows or events — is kept.
 */
export interface UnitOfWork<R> {
  run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T>;
  /** Same, inside a transaction that is already open (e.g. a consumer's inbox transaction). */
  join<T>(tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T>;
}

/** Runs a read on the caller's transaction when `tx` is given (no second connection), else on its own. */
export const readWithin = <R, T>(
  reader: UnitOfWork<R>,
  tx: TransactionHandle | undefined,
  work: (scope: UnitOfWorkScope<R>) => Promise<T>,
): Promise<T> => (tx ? reader.join(tx, work) : reader.run(work));
