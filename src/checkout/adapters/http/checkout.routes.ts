import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type OrderView, orderViewSchema as orderSchema } from '../../../orders/contract.js';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { answerCheckpoint } from '../../../platform/http/idempotency.plugin.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { CancelOrder } from '../../application/cancel-order.use-case.js';
import type { PlacedOrder, PlaceOrder } from '../../application/place-order.use-case.js';
import type { RefundOrder } from '../../application/refund-order.use-case.js';
import { cancelBody, orderParams, placeOrderBody, refundBody } from './checkout.schemas.js';

export interface CheckoutRouteDeps {
  placeOrder: PlaceOrder;
  cancelOrder: CancelOrder;
  refundOrder: RefundOrder;
  guards: Guards;
}

const tags = ['orders'];

/**
 * These routes call the payment provider between their transactions, so each commits its own (not
 * one request transaction, ADR 0009) and records its answer with its effect (`answerCheckpoint`).
 */
const ownTransactions = { requestTransaction: false } as const;

/** The write side of orders that spans contexts: checkout, cancellation, refunds. */
export const checkoutRoutes: FastifyPluginAsyncZod<CheckoutRouteDeps> = async (
  app,
  { placeOrder, cancelOrder, refundOrder, guards },
) => {
  app.post(
    '/api/v1/orders',
    {
      onRequest: guards.optionalAuth,
      config: { idempotency: 'required', ...ownTransactions },
      schema: {
        tags,
        summary: 'Place an order from a cart (checkout)',
        description:
          'Requires an `Idempotency-Key`: the first answer is replayed for the same key and body. Prices the cart, reserves the stock (all or nothing), creates the order, redeems the coupon and closes the cart in one transaction, then authorizes the payment: 201 CONFIRMED; 202 PAYMENT_PENDING when the provider is unavailable (a worker completes it) or waits for the customer (3-D Secure with `stripe`: `payment.nextAction` for Stripe.js; Stripe’s webhook completes it); 402 PAYMENT_DECLINED (the order is CANCELLED, the stock released, the cart open again; the problem carries `orderId`); 409 OUT_OF_STOCK with the short SKUs in `errors`, or CONFLICT when the cart lacks items, shipping or (guest) an email. Guests may order; a customer’s cart only by that customer.',
        security: [{ bearer: [] }, {}],
        body: placeOrderBody,
        response: { 201: orderSchema, 202: orderSchema, ...problemResponses(402, 404, 409) },
      },
    },
    async (req, reply) => {
      const placed = await placeOrder.execute(
        {
          cartId: req.body.cartId,
          token: req.body.payment.token,
          customerId: req.principal?.userId ?? null,
        },
        answerCheckpoint(req, reply, (answer: PlacedOrder) => ({
          status: answer.status,
          body: answer.order,
        })),
      );
      return reply.status(placed.status).send(placed.order);
    },
  );

  app.post(
    '/api/v1/orders/:id/cancel',
    {
      onRequest: guards.authenticate,
      config: ownTransactions,
      schema: {
        tags,
        summary: 'Cancel an order before dispatch (owner or admin)',
        description:
          'Voids the payment (or refunds it once captured), releases the stock, gives the coupon’s use back: 200 with the CANCELLED order; 409 ILLEGAL_STATE_TRANSITION once it is shipped (or already cancelled); 404 for an order that is not yours.',
        security: [{ bearer: [] }],
        params: orderParams,
        body: cancelBody,
        response: { 200: orderSchema, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      return cancelOrder.execute(
        {
          orderId: req.params.id,
          userId: principal.userId,
          isAdmin: principal.roles.includes('admin'),
          ...(req.body?.reason ? { reason: req.body.reason } : {}),
        },
        answerCheckpoint(req, reply, (order: OrderView) => ({ status: 200, body: order })),
      );
    },
  );

  app.post(
    '/api/v1/admin/orders/:id/refunds',
    {
      onRequest: guards.requireRoles('admin'),
      config: ownTransactions,
      schema: {
        tags: [...tags, 'admin'],
        summary: 'Refund part or all of what was captured (admin)',
        description:
          '201 with the order (its `payment.refunded` adds up every refund); 409 CONFLICT above captured minus refunded (nothing captured yet included); 503 when the provider is unavailable (nothing refunded).',
        security: [{ bearer: [] }],
        params: orderParams,
        body: refundBody,
        response: { 201: orderSchema, ...problemResponses(404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await refundOrder.execute(
          req.params.id,
          {
            reason: req.body.reason,
            ...(req.body.amount !== undefined ? { amount: req.body.amount } : {}),
          },
          answerCheckpoint(req, reply, (order: OrderView) => ({ status: 201, body: order })),
        ),
      ),
  );
};
