import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { ListCustomerOrders } from '../../application/list-customer-orders.query.js';
import type { ListOrders, OrderViewPage } from '../../application/list-orders.query.js';
import type { ViewAnyOrder } from '../../application/view-any-order.query.js';
import type { ViewOrder } from '../../application/view-order.query.js';
import {
  adminOrdersQuery,
  encodeCursor,
  historyQuery,
  orderPageSchema,
  orderParams,
  orderQuery,
  orderSchema,
} from './orders.schemas.js';

export interface OrderRouteDeps {
  listCustomerOrders: ListCustomerOrders;
  listOrders: ListOrders;
  viewOrder: ViewOrder;
  viewAnyOrder: ViewAnyOrder;
  guards: Guards;
}

const page = (p: OrderViewPage) => ({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });

const tags = ['orders'];
const adminTags = ['orders', 'admin'];
const secured: Record<string, string[]>[] = [{ bearer: [] }];
const pagination =
  'Newest first, keyset-paginated: `nextCursor` (null on the last page) continues the listing, and orders placed meanwhile never shift a page. A cursor this API did not hand out is 400.';

/**
 * The read side of orders (docs/product/api.md "Orders"): a customer's history, one order for its owner, staff or
 * (guest orders) whoever has its email, and the admin listing with filters. Placing, cancelling and
 * refunding are checkout's routes.
 */
export const ordersRoutes: FastifyPluginAsyncZod<OrderRouteDeps> = async (
  app,
  { listCustomerOrders, listOrders, viewOrder, viewAnyOrder, guards },
) => {
  app.get(
    '/api/v1/orders',
    {
      onRequest: guards.authenticate,
      schema: {
        tags,
        summary: 'The caller’s orders',
        description: pagination,
        security: secured,
        querystring: historyQuery,
        response: { 200: orderPageSchema },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      return page(await listCustomerOrders.execute(principalOf(req).userId, limit, cursor ?? null));
    },
  );

  app.get(
    '/api/v1/orders/:id',
    {
      onRequest: guards.optionalAuth,
      schema: {
        tags,
        summary: 'One order',
        description:
          'For its owner and for staff (admin, inventory manager). A guest order (placed without an account) for anyone who gives its email in `?email=` (any case). Everyone else — another customer, a missing or wrong email, an anonymous caller — gets 404, as for an order that does not exist.',
        security: [{ bearer: [] }, {}],
        params: orderParams,
        querystring: orderQuery,
        response: { 200: orderSchema, ...problemResponses(404) },
      },
    },
    async (req) => viewOrder.execute(req.params.id, { principal: req.principal, email: req.query.email }),
  );

  app.get(
    '/api/v1/admin/orders',
    {
      onRequest: guards.requireRoles('admin'),
      schema: {
        tags: adminTags,
        summary: 'Every order, with filters (admin)',
        description: `Filters combine: \`status\`, \`customerId\`, and the creation window \`from\` (inclusive) – \`to\` (exclusive), ISO-8601 instants with a time zone; \`from\` after \`to\` is 400. ${pagination}`,
        security: secured,
        querystring: adminOrdersQuery,
        response: { 200: orderPageSchema },
      },
    },
    async (req) => {
      const { status, customerId, from, to, limit, cursor } = req.query;
      const filter = {
        ...(status ? { status } : {}),
        ...(customerId ? { customerId } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      };
      return page(await listOrders.execute(filter, limit, cursor ?? null));
    },
  );

  app.get(
    '/api/v1/admin/orders/:id',
    {
      onRequest: guards.requireRoles('admin'),
      schema: {
        tags: adminTags,
        summary: 'One order (admin)',
        security: secured,
        params: orderParams,
        response: { 200: orderSchema, ...problemResponses(404) },
      },
    },
    async (req) => viewAnyOrder.execute(req.params.id),
  );
};
