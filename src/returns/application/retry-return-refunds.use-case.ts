import type { RefundView } from '../../payments/contract.js';
import type { CompleteReturnRefund } from './complete-return-refund.use-case.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { RefundAttempt, ReturnRefunds } from './return-refunds.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/** A refund that has not moved for this long is looked at again. */
export const REFUND_RETRY_AFTER_MS = 60_000;
const BATCH = 100;

/**
 * The periodic task `returns.refunds`: every return whose refund is open (RECEIVED, or an exchange's
 * difference) and has not changed for a minute is looked at — its refund `succeeded` → REFUNDED (a
 * PaymentRefunded that was missed); `released` (the provider refused) or never reserved (the payment
 * was not captured yet) → asked again under a new refund id, the refusal in its history, counted;
 * `pending` → the payments worker is on it. A refund asked again is made at once (`settle`) and,
 * when it succeeded, completed in the same pass. One transaction per return; a failure is logged and the
 * next tick tries again. So a refused refund is visible and retried, never lost.
 */
export class RetryReturnRefunds {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
    private readonly refunds: ReturnRefunds,
    private readonly complete: CompleteReturnRefund,
  ) {}

  async execute(): Promise<{ completed: number; retried: number }> {
    const { deps } = this;
    const now = deps.clock.now();
    const open = await deps.read.run(({ repos }) =>
      repos.returns.refundsOpen(new Date(now.getTime() - REFUND_RETRY_AFTER_MS), BATCH),
    );
    const ids = open.map((r) => r.refundId).filter((id): id is string => id !== null);
    const refunds = ids.length > 0 ? await deps.payments.refundsOf(ids) : new Map<string, RefundView>();
    let completed = 0;
    let retried = 0;
    for (const candidate of open) {
      const refund = candidate.refundId ? refunds.get(candidate.refundId) : undefined;
      try {
        if (refund?.status === 'succeeded') {
          await this.complete.execute({ refundId: refund.id, amount: refund.amount.amount });
          completed += 1;
          continue;
        }
        if (refund?.status === 'pending') continue;
        const again = await this.askAgain(candidate.id, candidate.refundId, refund);
        if (again === null) continue;
        retried += 1;
        deps.retried();
        if (again.attempt !== 'reserved' || !again.refundId) continue;
        await deps.payments.settle(candidate.orderId);
        const made = (await deps.payments.refundsOf([again.refundId])).get(again.refundId);
        if (made?.status === 'succeeded') {
          await this.complete.execute({ refundId: made.id, amount: made.amount.amount });
          completed += 1;
        }
      } catch (err) {
        deps.logger.error(
          { returnId: candidate.id, err: err instanceof Error ? err.message : String(err) },
          'return refund retry failed; trying again on the next tick',
        );
      }
    }
    return { completed, retried };
  }

  private askAgain(
    returnId: string,
    refundId: string | null,
    refund: RefundView | undefined,
  ): Promise<{ attempt: RefundAttempt; refundId: string | null } | null> {
    return this.deps.uow.run(async (scope) => {
      const ret = await this.moves.lock(scope, returnId);
      // it moved since it was read (completed, or asked again by another instance): leave it
      if (!ret.snapshot().refundOpen || ret.refundId !== refundId) return null;
      const now = this.deps.clock.now();
      if (refund?.status === 'released') {
        ret.note(`refund refused: ${refund.failure ?? 'no reason given'}; asked again`, now);
      }
      const attempt = await this.refunds.request(ret, scope.tx, now);
      await this.moves.save(scope, ret);
      return { attempt, refundId: ret.refundId };
    });
  }
}
