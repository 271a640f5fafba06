import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { answerCheckpoint } from '../../../platform/http/idempotency.plugin.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { ApproveReturn } from '../../application/approve-return.use-case.js';
import type { CancelReturn } from '../../application/cancel-return.use-case.js';
import type { GetReturn } from '../../application/get-return.query.js';
import type { ListOrderReturns } from '../../application/list-order-returns.query.js';
import type { ListReturns, ReturnViewPage } from '../../application/list-returns.query.js';
import type { ReceiveReturn } from '../../application/receive-return.use-case.js';
import type { RejectReturn } from '../../application/reject-return.use-case.js';
import type { RequestReturn } from '../../application/request-return.use-case.js';
import type { ReturnView } from '../../application/return.view.js';
import {
  encodeCursor,
  guestQuery,
  orderParams,
  orderReturnParams,
  receiveBody,
  rejectBody,
  requestReturnBody,
  returnPageSchema,
  returnParams,
  returnSchema,
  returnsQuery,
} from './returns.schemas.js';

export interface ReturnsRouteDeps {
  requestReturn: RequestReturn;
  listOrderReturns: ListOrderReturns;
  cancelReturn: CancelReturn;
  listReturns: ListReturns;
  getReturn: GetReturn;
  approveReturn: ApproveReturn;
  rejectReturn: RejectReturn;
  receiveReturn: ReceiveReturn;
  guards: Guards;
}

const tags = ['returns'];
const adminTags = ['returns', 'admin'];
const secured: Record<string, string[]>[] = [{ bearer: [] }];
const ownerOrGuest: Record<string, string[]>[] = [{ bearer: [] }, {}];
const page = (p: ReturnViewPage) => ({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });
const access =
  'For the order’s customer, or — a guest order — whoever gives its email in `?email=` (any case); everyone else gets 404, as for an order that does not exist.';

/**
 * The routes of returns (docs/product/api.md "Returns"): a customer's (or guest's) requests and
 * cancellations on their order, and the staff listing and steps. The receipt calls the payment
 * provider after its transaction, so it commits its own (ADR 0009) and records its answer with its
 * effect (`answerCheckpoint`); the other writes run in the request transaction.
 */
export const returnsRoutes: FastifyPluginAsyncZod<ReturnsRouteDeps> = async (
  app,
  {
    requestReturn,
    listOrderReturns,
    cancelReturn,
    listReturns,
    getReturn,
    approveReturn,
    rejectReturn,
    receiveReturn,
    guards,
  },
) => {
  const staff = guards.requireRoles('admin', 'inventory_manager');
  const admin = guards.requireRoles('admin');
  const staffActor = (userId: string) => ({ kind: 'staff' as const, id: userId });

  app.post(
    '/api/v1/orders/:id/returns',
    {
      onRequest: guards.optionalAuth,
      schema: {
        tags,
        summary: 'Return units of a delivered order (owner, or a guest order’s email)',
        description: `201 with the return, REQUESTED. Only units of delivered shipments, at most what was delivered minus what earlier returns requested or brought back (409 CONFLICT, also under concurrent requests), within the region’s return window counted from the last delivery (\`RETURN_WINDOW_DAYS\`, 409 CONFLICT after it). \`exchange\`: variants of the returned products to get instead, at the same or a lower list price and no more units per product than come back (400 naming \`exchange[i]\` otherwise). ${access}`,
        security: ownerOrGuest,
        params: orderParams,
        querystring: guestQuery,
        body: requestReturnBody,
        response: { 201: returnSchema, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const { lines, exchange, note } = req.body;
      const view = await requestReturn.execute(
        req.params.id,
        { principal: req.principal, email: req.query.email },
        { lines, ...(exchange ? { exchange } : {}), note: note ? note : null },
      );
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/v1/orders/:id/returns',
    {
      onRequest: guards.optionalAuth,
      schema: {
        tags,
        summary: 'The returns of an order (owner, guest order’s email, staff)',
        description: `Oldest first, in \`items\` (\`nextCursor\` is always null: an order has few). Staff (admin, inventory manager) see any order’s. ${access}`,
        security: ownerOrGuest,
        params: orderParams,
        querystring: guestQuery,
        response: { 200: returnPageSchema, ...problemResponses(404) },
      },
    },
    async (req) => ({
      items: await listOrderReturns.execute(req.params.id, {
        principal: req.principal,
        email: req.query.email,
      }),
      nextCursor: null,
    }),
  );

  app.post(
    '/api/v1/orders/:id/returns/:returnId/cancel',
    {
      onRequest: guards.optionalAuth,
      schema: {
        tags,
        summary: 'Cancel a return before it is received (owner, or a guest order’s email)',
        description: `REQUESTED or APPROVED → CANCELLED (its units may be asked for again); once received 409 ILLEGAL_STATE_TRANSITION. ${access}`,
        security: ownerOrGuest,
        params: orderReturnParams,
        querystring: guestQuery,
        response: { 200: returnSchema, ...problemResponses(404, 409) },
      },
    },
    async (req) =>
      cancelReturn.execute(req.params.id, req.params.returnId, {
        principal: req.principal,
        email: req.query.email,
      }),
  );

  app.get(
    '/api/v1/admin/returns',
    {
      onRequest: staff,
      schema: {
        tags: adminTags,
        summary: 'Returns, with filters (admin, inventory manager)',
        description:
          'Filters combine: `status` and `orderId`. Oldest first (the work queue), keyset-paginated: `nextCursor` (null on the last page) continues the listing. A cursor this API did not hand out is 400.',
        security: secured,
        querystring: returnsQuery,
        response: { 200: returnPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { status, orderId, limit, cursor } = req.query;
      return page(
        await listReturns.execute(
          { ...(status ? { status } : {}), ...(orderId ? { orderId } : {}) },
          limit,
          cursor ?? null,
        ),
      );
    },
  );

  app.get(
    '/api/v1/admin/returns/:id',
    {
      onRequest: staff,
      schema: {
        tags: adminTags,
        summary: 'One return (admin, inventory manager)',
        security: secured,
        params: returnParams,
        response: { 200: returnSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (req) => getReturn.execute(req.params.id),
  );

  app.post(
    '/api/v1/admin/returns/:id/approve',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        summary: 'Approve a return (admin)',
        description:
          'REQUESTED → APPROVED with `ReturnApproved` (the customer is mailed what to do); from any other status 409 ILLEGAL_STATE_TRANSITION.',
        security: secured,
        params: returnParams,
        response: { 200: returnSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (req) => approveReturn.execute(req.params.id, staffActor(principalOf(req).userId)),
  );

  app.post(
    '/api/v1/admin/returns/:id/reject',
    {
      onRequest: admin,
      schema: {
        tags: adminTags,
        summary: 'Reject a return, saying why (admin)',
        description:
          'REQUESTED → REJECTED with the reason in its history and `ReturnRejected`; its units may be asked for again. From any other status 409 ILLEGAL_STATE_TRANSITION.',
        security: secured,
        params: returnParams,
        body: rejectBody,
        response: { 200: returnSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (req) => rejectReturn.execute(req.params.id, req.body.reason, staffActor(principalOf(req).userId)),
  );

  app.post(
    '/api/v1/admin/returns/:id/receive',
    {
      onRequest: staff,
      config: { requestTransaction: false },
      schema: {
        tags: adminTags,
        summary: 'Receive a return’s parcel into a warehouse (admin, inventory manager)',
        description:
          'APPROVED → RECEIVED (409 ILLEGAL_STATE_TRANSITION from any other status: of concurrent receipts one wins). Per SKU the lines add up to at most the requested units (400); an exchange is received in full (409 CONFLICT). Resellable units go back on hand in that warehouse (ledger reason `return`), damaged ones are recorded and written off (404 for an unknown warehouse). Then the refund of what was paid for the units (shipping with the last unit of the order) is made → REFUNDED; while the provider is unavailable the answer is RECEIVED and the refund follows by itself. An exchange places a replacement order without payment (409 OUT_OF_STOCK when it cannot be reserved: nothing is received) → EXCHANGED, a lower price refunded as the difference.',
        security: secured,
        params: returnParams,
        body: receiveBody,
        response: { 200: returnSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) =>
      receiveReturn.execute(
        req.params.id,
        req.body,
        staffActor(principalOf(req).userId),
        answerCheckpoint(req, reply, (view: ReturnView) => ({ status: 200, body: view })),
      ),
  );
};
