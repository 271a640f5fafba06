import type { Principal, Role } from '../../platform/principal.js';

/**
 * Staff who may read any order through `GET /api/v1/orders/:id` (docs/product/api.md: "owner or staff"; docs/product/spec.md:
 * staff are admins and inventory managers — the people who pick, pack and ship it). The admin
 * listing and `GET /api/v1/admin/orders/:id` are for admins only.
 */
export const ORDER_READER_ROLES: readonly Role[] = ['admin', 'inventory_manager'];

/** Who asks for an order: the verified caller (if any) and, for guest orders, the email they give. */
export interface OrderCaller {
  principal: Principal | null;
  email?: string | undefined;
}

/**
 * May this caller read this order? Staff: any order. A signed-in customer: their own. Anyone: a guest
 * order (no customer) whose email matches the one given, ignoring case. Nobody else — and they all
 * get the same 404, so that an order id never reveals whether the order exists.
 */
export const mayRead = (
  order: { customerId: string | null; email: string | null },
  caller: OrderCaller,
): boolean => {
  const p = caller.principal;
  if (p?.roles.some((r) => ORDER_READER_ROLES.includes(r))) return true;
  if (p && order.customerId !== null && order.customerId === p.userId) return true;
  if (order.customerId === null && order.email !== null && caller.email !== undefined) {
    return caller.email.trim().toLowerCase() === order.email;
  }
  return false;
};
