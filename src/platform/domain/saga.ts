/**
 * One step of a saga (docs/architecture.md convention 9): `invoke` does its part inside the step's
 * transaction `Tx` (the unit of work's `TransactionHandle`; a type parameter, so that this primitive
 * stays free of the database layer); `compensate` undoes it and gets exactly what it needs to (`U`,
 * derived from the aggregate, so a worker in another process can compensate too). Both are
 * idempotent: running one twice, or a compensation whose invoke never committed, changes nothing.
 * Checkout's placement and returns' receipt are sagas of such steps.
 */
export interface SagaStep<I, U, Tx> {
  readonly name: string;
  invoke(input: I, tx: Tx): Promise<void>;
  compensate(undo: U, tx: Tx): Promise<void>;
}

/** Invokes the steps in order inside `tx`; a step that throws aborts the transaction, and with it all of them. */
export const invokeSteps = async <I, U, Tx>(
  steps: readonly SagaStep<I, U, Tx>[],
  input: I,
  tx: Tx,
): Promise<void> => {
  for (const step of steps) await step.invoke(input, tx);
};

/** Compensates the steps in reverse order inside `tx` (one transaction: all undone, or none). */
export const compensateSteps = async <I, U, Tx>(
  steps: readonly SagaStep<I, U, Tx>[],
  undo: U,
  tx: Tx,
): Promise<void> => {
  for (const step of [...steps].reverse()) await step.compensate(undo, tx);
};
