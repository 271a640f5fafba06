import type { TransactionHandle } from '../db/unit-of-work.js';

/**
 * One step of a saga (docs/architecture.md convention 9): `invoke` does its part inside the step's
 * transaction; `compensate` undoes it and gets exactly what it needs to (`U`, derived from the order,
 * so a worker in another process can compensate too). Both are idempotent: running one twice, or a
 * compensation whose invoke never committed, changes nothing.
 */
export interface SagaStep<I, U> {
  readonly name: string;
  invoke(input: I, tx: TransactionHandle): Promise<void>;
  compensate(undo: U, tx: TransactionHandle): Promise<void>;
}

/** Invokes the steps in order inside `tx`; a step that throws aborts the transaction, and with it all of them. */
export const invokeSteps = async <I, U>(
  steps: readonly SagaStep<I, U>[],
  input: I,
  tx: TransactionHandle,
): Promise<void> => {
  for (const step of steps) await step.invoke(input, tx);
};

/** Compensates the steps in reverse order inside `tx` (one transaction: all undone, or none). */
export const compensateSteps = async <I, U>(
  steps: readonly SagaStep<I, U>[],
  undo: U,
  tx: TransactionHandle,
): Promise<void> => {
  for (const step of [...steps].reverse()) await step.compensate(undo, tx);
};
