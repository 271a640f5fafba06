import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { invokeSteps } from '../../platform/domain/saga.js';
import type { ReturnActor } from '../domain/return.aggregate.js';
import type { CompleteReturnRefund } from './complete-return-refund.use-case.js';
import { type Receipt, type ReceiptRequest, receiveReturnSteps } from './receive-return.steps.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { ReturnRefunds } from './return-refunds.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * `POST /api/v1/admin/returns/:id/receive` (admin, inventory manager): the receipt saga
 * (receive-return.steps.ts) in one transaction — APPROVED → RECEIVED, stock back on hand or written
 * off, for an exchange the replacement order placed and → EXCHANGED, the refund reserved. `checkpoint`
 * claims the Idempotency-Key first in that transaction and records the answer with it (ADR 0009).
 * After the commit the refund is made (`payments.settle`) and, once it succeeded, the return is
 * REFUNDED in a transaction of its own; the answer is the return as it is then — RECEIVED while the
 * provider is down (the PaymentRefunded consumer and the retry worker finish it).
 */
export class ReceiveReturn {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
    private readonly refunds: ReturnRefunds,
    private readonly complete: CompleteReturnRefund,
  ) {}

  async execute(
    returnId: string,
    request: ReceiptRequest,
    actor: ReturnActor,
    checkpoint?: AnswerCheckpoint<ReturnView>,
  ): Promise<ReturnView> {
    const { deps } = this;
    const steps = receiveReturnSteps(deps, this.moves, this.refunds);
    // one receipt of a return at a time in this process: the others wait here, not on its row holding connections
    const done = await deps.serial.run(`return:${returnId}`, () =>
      deps.uow.run(async (scope) => {
        await checkpoint?.claim(scope.tx);
        const receipt: Receipt = { returnId, request, actor, now: deps.clock.now(), scope };
        await invokeSteps(steps, receipt, scope.tx);
        const ret = receipt.ret!;
        await this.moves.save(scope, ret);
        const view = toReturnView(ret);
        await checkpoint?.record(scope.tx, view);
        return { view, orderId: ret.orderId, refundId: receipt.refund === 'reserved' ? ret.refundId : null };
      }),
    );
    if (!done.refundId) return done.view;
    try {
      await deps.payments.settle(done.orderId);
      const refund = (await deps.payments.refundsOf([done.refundId])).get(done.refundId);
      if (refund?.status === 'succeeded') {
        return (
          (await this.complete.execute({ refundId: refund.id, amount: refund.amount.amount })) ?? done.view
        );
      }
      if (refund?.status === 'released') {
        deps.logger.warn(
          { returnId, refundId: refund.id, failure: refund.failure },
          'return refund refused; the retry worker asks again',
        );
      }
    } catch (err) {
      deps.logger.warn(
        { returnId, err: err instanceof Error ? err.message : String(err) },
        'return refund not made yet; the payments worker and the returns retry worker finish it',
      );
    }
    return done.view;
  }
}
