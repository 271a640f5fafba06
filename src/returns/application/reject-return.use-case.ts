import type { ReturnActor } from '../domain/return.aggregate.js';
import { type ReturnView, toReturnView } from './return.view.js';
import type { ReturnMoves } from './return-moves.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * `POST /api/v1/admin/returns/:id/reject` (admin) with a reason: REQUESTED → REJECTED with
 * `ReturnRejected` (the reason in its history and event); its units may be asked for again. From any
 * other status 409 ILLEGAL_STATE_TRANSITION.
 */
export class RejectReturn {
  constructor(
    private readonly deps: ReturnsDeps,
    private readonly moves: ReturnMoves,
  ) {}

  execute(returnId: string, reason: string, actor: ReturnActor): Promise<ReturnView> {
    return this.deps.serial.run(`return:${returnId}`, () =>
      this.deps.uow.run(async (scope) => {
        const ret = await this.moves.lock(scope, returnId);
        ret.reject(reason, actor, this.deps.clock.now());
        await this.moves.save(scope, ret);
        return toReturnView(ret);
      }),
    );
  }
}
