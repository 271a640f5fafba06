import type { TransactionHandle } from './unit-of-work.js';

/**
 * The Idempotency-Key and answer of a request whose use case commits in steps and calls a third party
 * between them (checkout, cancellation, refunds; ADR 0009), handled inside those steps' transactions:
 *
 * - `claim`, first thing in the transaction of the first effect: the key becomes this request's — or
 *   the transaction rolls back because the key was answered already (the answer is replayed) or is in
 *   flight (409);
 * - `record`, in the transaction that commits the effect: the answer the request gives if it stops
 *   there, stored as the key's answer — so a retry after any later failure finds it instead of running
 *   again — and, once committed, what the request answers instead of a 5xx if a later step fails;
 * - `forget`, in the transaction that undoes the effect: then the request may run again.
 *
 * The HTTP edge builds it (idempotency.plugin.ts `answerCheckpoint`); without a key only `record`'s
 * fallback answer applies.
 */
export interface AnswerCheckpoint<A> {
  claim(tx: TransactionHandle): Promise<void>;
  record(tx: TransactionHandle, answer: A): Promise<void>;
  forget(tx: TransactionHandle): Promise<void>;
}
