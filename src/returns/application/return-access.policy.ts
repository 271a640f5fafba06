import type { OrderSnapshot } from '../../orders/contract.js';
import type { Principal, Role } from '../../platform/principal.js';

/** Staff who may read any order's returns (docs/product/api.md: admin, inventory manager). */
export const RETURN_READER_ROLES: readonly Role[] = ['admin', 'inventory_manager'];

/** Who asks: the verified caller (if any) and, for guest orders, the email they give. */
export interface ReturnCaller {
  principal: Principal | null;
  email?: string | undefined;
}

/**
 * May this caller return units of this order, or cancel its returns? The signed-in customer whose order
 * it is; anyone who gives the email of a guest order (no customer), ignoring case. Nobody else — and
 * they all get the same 404 as for an order that does not exist (orders' order-access.policy.ts shape).
 */
export const mayAct = (order: Pick<OrderSnapshot, 'customerId' | 'email'>, caller: ReturnCaller): boolean => {
  const p = caller.principal;
  if (p && order.customerId !== null && order.customerId === p.userId) return true;
  if (order.customerId === null && order.email !== null && caller.email !== undefined) {
    return caller.email.trim().toLowerCase() === order.email.toLowerCase();
  }
  return false;
};

/** May this caller read this order's returns? Who may act on them, and staff. */
export const mayRead = (order: Pick<OrderSnapshot, 'customerId' | 'email'>, caller: ReturnCaller): boolean =>
  (caller.principal?.roles.some((r) => RETURN_READER_ROLES.includes(r)) ?? false) || mayAct(order, caller);

/** The actor a caller acts as on a return. */
export const actorOf = (caller: ReturnCaller) =>
  caller.principal ? { kind: 'customer' as const, id: caller.principal.userId } : { kind: 'guest' as const };
