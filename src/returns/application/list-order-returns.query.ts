import { ReturnOrderNotFoundError } from '../domain/returns.errors.js';
import { type ReturnView, toReturnView } from './return.view.js';
import { mayRead, type ReturnCaller } from './return-access.policy.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * `GET /api/v1/orders/:id/returns`: the order's returns, oldest first, for its owner, a guest order's
 * email, or staff (admin, inventory manager); anyone else gets 404, as for an unknown order.
 */
export class ListOrderReturns {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(orderId: string, caller: ReturnCaller): Promise<ReturnView[]> {
    const order = await this.deps.orders.get(orderId);
    if (!order || !mayRead(order, caller)) throw new ReturnOrderNotFoundError();
    const returns = await this.deps.read.run(({ repos }) => repos.returns.ofOrder(orderId));
    return returns.map(toReturnView);
  }
}
