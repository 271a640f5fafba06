import type { OrderView } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import type { GetOrder } from './get-order.query.js';
import { mayRead, type OrderCaller } from './order-access.policy.js';
import type { OrderViews } from './order-view.query.js';

/** One order for the caller of `GET /api/v1/orders/:id` or the admin route; 404 unless they may read it. */
export class ViewOrder {
  constructor(
    private readonly get: GetOrder,
    private readonly views: OrderViews,
  ) {}

  /** As the caller may see it (owner, staff, or a guest order's email); 404 otherwise. */
  async forCaller(orderId: string, caller: OrderCaller): Promise<OrderView> {
    const order = await this.get.load(orderId);
    if (!order) throw new OrderNotFoundError();
    const s = order.snapshot();
    if (!mayRead({ customerId: s.customerId, email: s.email }, caller)) throw new OrderNotFoundError();
    const [view] = await this.views.of([order]);
    return view!;
  }

  /** Any order (admins; the route checks the role); 404 when unknown. */
  async forAdmin(orderId: string): Promise<OrderView> {
    const order = await this.get.load(orderId);
    if (!order) throw new OrderNotFoundError();
    const [view] = await this.views.of([order]);
    return view!;
  }
}
