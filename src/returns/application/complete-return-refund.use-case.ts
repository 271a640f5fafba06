import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import type { ReturnsRepos } from './return.repository.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * A return's refund succeeded — payments' `PaymentRefunded` with the refund id (consumer
 * `returns.payments`, in the inbox transaction `tx`), or the receipt and the retry worker finding it
 * `succeeded`: the return whose current refund id it is goes RECEIVED → REFUNDED with
 * `ReturnRefunded` (an exchange's difference refund just closes). Idempotent: it compares states — a
 * refund of no return, or of a return that is settled already, changes nothing (null / the return).
 */
export class CompleteReturnRefund {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
  ) {}

  execute(refund: { refundId: string; amount: number }, tx?: TransactionHandle): Promise<ReturnView | null> {
    const work = async (scope: UnitOfWorkScope<ReturnsRepos>): Promise<ReturnView | null> => {
      const ret = await scope.repos.returns.findByRefundForUpdate(refund.refundId);
      if (!ret) return null;
      scope.track(ret);
      if (ret.refunded(refund.amount, this.deps.clock.now())) {
        await this.moves.save(scope, ret);
        if (refund.amount > 0) {
          this.deps.refunded({ amount: refund.amount, currency: ret.snapshot().currency }, scope.tx);
        }
      }
      return toReturnView(ret);
    };
    return tx ? this.deps.uow.join(tx, work) : this.deps.uow.run(work);
  }
}
