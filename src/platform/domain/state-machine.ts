import { IllegalStateTransitionError } from '../errors.js';

/** Every state of `S` with the states it may move to; `[]` marks a final state. */
export type TransitionTable<S extends string> = { readonly [K in S]: readonly S[] };

export interface StateMachine<S extends string> {
  /** the entity named in errors, e.g. `Order` */
  readonly entity: string;
  readonly states: readonly S[];
  /** true when the table allows `from → to` (staying in a state is not a transition) */
  can(from: S, to: S): boolean;
  /** `to`, or a typed {@link IllegalStateTransitionError} (409 ILLEGAL_STATE_TRANSITION) — never a silent no-op */
  transition(from: S, to: S): S;
  /** the states `from` may move to */
  next(from: S): readonly S[];
  isFinal(state: S): boolean;
}

/**
 * A state machine as data (docs/architecture.md convention 6): a transition table, checked once when it is
 * built (every target is a state of the table), and one way to move that refuses illegal moves with a
 * typed error. Aggregates keep their state and history; this only says which moves are legal.
 *
 * ```ts
 * const orderStates = stateMachine('Order', { CREATED: ['PAYMENT_PENDING', 'CANCELLED'], …, COMPLETED: [] });
 * this.status = orderStates.transition(this.status, 'CONFIRMED');
 * ```
 */
export const stateMachine = <S extends string>(
  entity: string,
  table: TransitionTable<S>,
  makeError: (from: S, to: S) => Error = (from, to) => new IllegalStateTransitionError(entity, from, to),
): StateMachine<S> => {
  const states = Object.keys(table) as S[];
  for (const from of states) {
    for (const to of table[from]) {
      if (!(to in table))
        throw new Error(`${entity} transition table: ${from} → ${to}, which is not a state`);
      if (to === from) throw new Error(`${entity} transition table: ${from} → ${from} is not a transition`);
    }
  }
  const can = (from: S, to: S): boolean => (table[from] ?? []).includes(to);
  return {
    entity,
    states,
    can,
    transition: (from, to) => {
      if (!can(from, to)) throw makeError(from, to);
      return to;
    },
    next: (from) => table[from] ?? [],
    isFinal: (state) => (table[state] ?? []).length === 0,
  };
};
