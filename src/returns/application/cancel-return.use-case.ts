import { ReturnNotFoundError } from '../domain/returns.errors.js';
import { type ReturnView, toReturnView } from './return.view.js';
import { actorOf, mayAct, type ReturnCaller } from './return-access.policy.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * `POST /api/v1/orders/:id/returns/:returnId/cancel` (owner, or a guest order's email): before receipt
 * (REQUESTED or APPROVED) → CANCELLED with `ReturnCancelled`, its units free to be asked for again;
 * after, 409 ILLEGAL_STATE_TRANSITION. The return is locked first, then the order (the house's lock
 * order). A return of another order, or an order that is not the caller's: 404.
 */
export class CancelReturn {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
  ) {}

  execute(orderId: string, returnId: string, caller: ReturnCaller): Promise<ReturnView> {
    return this.deps.serial.run(`return:${returnId}`, () =>
      this.deps.uow.run(async (scope) => {
        const ret = await this.moves.lock(scope, returnId);
        if (ret.orderId !== orderId) throw new ReturnNotFoundError();
        const order = await this.deps.orders.get(orderId, scope.tx);
        if (!order || !mayAct(order, caller)) throw new ReturnNotFoundError();
        ret.cancel(actorOf(caller), this.deps.clock.now());
        await this.moves.save(scope, ret);
        return toReturnView(ret);
      }),
    );
  }
}
