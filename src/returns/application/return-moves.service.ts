import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Return } from '../domain/return.aggregate.js';
import { ReturnNotFoundError } from '../domain/returns.errors.js';
import type { ReturnsRepos } from './return.repository.js';
import type { ReturnsDeps } from './returns.deps.js';

/** The `reason` label of a return: its lines' reason, or `mixed` when they differ. */
export const reasonOf = (ret: Return): string => {
  const reasons = new Set(ret.snapshot().lines.map((l) => l.reason));
  return reasons.size === 1 ? [...reasons][0]! : 'mixed';
};

/** A move's transaction: the repositories on it, and `track` for the return's events. */
export interface MoveScope {
  repos: ReturnsRepos;
  tx: TransactionHandle;
  track: <A extends Return>(a: A) => A;
}

/**
 * What the moves of a return share: the return locked first (lock order everywhere: return, order,
 * stock, payment), then saved with its history and events, its new status counted once the
 * transaction commits.
 */
export class ReturnMoves {
  constructor(private readonly deps: Pick<ReturnsDeps, 'count'>) {}

  /** The return locked, or 404. */
  async lock(scope: MoveScope, returnId: string): Promise<Return> {
    const ret = await scope.repos.returns.findForUpdate(returnId);
    if (!ret) throw new ReturnNotFoundError();
    return scope.track(ret);
  }

  /** Saves the return; counts every status it moved to since it was read. */
  async save(scope: MoveScope, ret: Return): Promise<void> {
    const moved = ret.unsavedHistory().filter((h) => h.from !== h.status);
    await scope.repos.returns.save(ret);
    for (const h of moved) this.deps.count(h.status, reasonOf(ret), scope.tx);
  }
}
