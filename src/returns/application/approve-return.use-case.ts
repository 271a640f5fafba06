import type { ReturnActor } from '../domain/return.aggregate.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * `POST /api/v1/admin/returns/:id/approve` (admin): REQUESTED → APPROVED with `ReturnApproved` (the
 * customer is mailed the instructions); from any other status 409 ILLEGAL_STATE_TRANSITION.
 */
export class ApproveReturn {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
  ) {}

  execute(returnId: string, actor: ReturnActor): Promise<ReturnView> {
    return this.deps.serial.run(`return:${returnId}`, () =>
      this.deps.uow.run(async (scope) => {
        const ret = await this.moves.lock(scope, returnId);
        ret.approve(actor, this.deps.clock.now());
        await this.moves.save(scope, ret);
        return toReturnView(ret);
      }),
    );
  }
}
