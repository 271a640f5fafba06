import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Guards } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { AddCartItem } from '../../application/add-cart-item.use-case.js';
import type { ApplyCartPromotion } from '../../application/apply-cart-promotion.use-case.js';
import type { ChangeCartItem } from '../../application/change-cart-item.use-case.js';
import type { CreateCart } from '../../application/create-cart.use-case.js';
import type { GetCart } from '../../application/get-cart.query.js';
import type { PriceCart, PricedCart } from '../../application/price-cart.query.js';
import type { RemoveCartItem } from '../../application/remove-cart-item.use-case.js';
import type { RemoveCartPromotion } from '../../application/remove-cart-promotion.use-case.js';
import type { SetCartEmail } from '../../application/set-cart-email.use-case.js';
import type { SetCartShipping } from '../../application/set-cart-shipping.use-case.js';
import type { Cart } from '../../domain/cart.aggregate.js';
import {
  addItemBody,
  cartLineParams,
  cartParams,
  cartSchema,
  changeItemBody,
  createCartBody,
  emailBody,
  promotionBody,
  shippingBody,
} from './cart.schemas.js';

/** The use cases and queries the cart routes call. */
export interface CartRouteDeps {
  create: CreateCart;
  get: GetCart;
  price: PriceCart;
  addItem: AddCartItem;
  changeItem: ChangeCartItem;
  removeItem: RemoveCartItem;
  applyPromotion: ApplyCartPromotion;
  removePromotion: RemoveCartPromotion;
  setShipping: SetCartShipping;
  setEmail: SetCartEmail;
  guards: Guards;
}

export const cartView = (p: PricedCart) => {
  const { cart } = p;
  const address = cart.shippingAddress;
  return {
    id: cart.id,
    customerId: cart.customerId,
    email: cart.email,
    currency: p.currency,
    items: p.items,
    unavailable: p.unavailable,
    subtotal: p.subtotal,
    discount: p.discount,
    shipping: p.shipping,
    tax: p.tax,
    total: p.total,
    taxMode: p.taxMode,
    promotionCode: cart.promotionCode,
    promotion: p.promotion,
    shippingAddress: address
      ? {
          name: address.name,
          line1: address.line1,
          line2: address.line2 ?? null,
          city: address.city,
          postalCode: address.postalCode,
          country: address.country,
          phone: address.phone ?? null,
        }
      : null,
    shippingOption: cart.shippingOption,
    updatedAt: cart.updatedAt.toISOString(),
    expiresAt: cart.expiresAt.toISOString(),
  };
};

const tags = ['cart'];
const secured: Record<string, string[]>[] = [{ bearer: [] }, {}];
const visibility =
  'A guest cart is visible to whoever holds its id; a customer’s cart only to that customer (anyone else, anonymous callers included, gets 404). Unknown, closed and expired carts are 404.';

/** Storefront cart routes. The bearer token is optional: it binds new carts and opens customer carts. */
export const cartRoutes: FastifyPluginAsyncZod<CartRouteDeps> = async (app, use) => {
  const onRequest = use.guards.optionalAuth;
  const caller = (req: FastifyRequest) => req.principal?.userId ?? null;
  const priced = async (cart: Cart) => cartView(await use.price.execute(cart));

  app.post(
    '/api/v1/carts',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Create a cart',
        description:
          'Anonymous: a new guest cart. With a bearer token: a new cart of the caller, or their open cart if they have one — a customer has at most one open cart. 201 either way (docs/product/api.md).',
        security: secured,
        body: createCartBody,
        response: { 201: cartSchema, ...problemResponses(400, 401) },
      },
    },
    async (req, reply) => {
      const { cart } = await use.create.execute(caller(req));
      return reply.status(201).send(await priced(cart));
    },
  );

  app.get(
    '/api/v1/carts/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'A priced cart',
        description: `Every amount comes from the pricing engine. ${visibility}`,
        security: secured,
        params: cartParams,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => priced(await use.get.execute(req.params.id, caller(req))),
  );

  app.post(
    '/api/v1/carts/:id/items',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Add units of a SKU',
        description:
          'Adds to an existing line. The product must be active (404 otherwise, also for an unknown SKU) and the line’s new quantity in stock (409 OUT_OF_STOCK naming the SKU in `errors`). A line holds at most 99 (409 CONFLICT beyond).',
        security: secured,
        params: cartParams,
        body: addItemBody,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) =>
      priced(await use.addItem.execute(req.params.id, caller(req), req.body.sku, req.body.quantity)),
  );

  app.patch(
    '/api/v1/carts/:id/items/:sku',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Set the quantity of a line',
        description:
          '0–99; 0 removes the line. Raising it checks the product is active and in stock like adding does. 404 when the cart has no such line.',
        security: secured,
        params: cartLineParams,
        body: changeItemBody,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) =>
      priced(await use.changeItem.execute(req.params.id, caller(req), req.params.sku, req.body.quantity)),
  );

  app.delete(
    '/api/v1/carts/:id/items/:sku',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Remove a line',
        description: 'Answers 200 with the cart. 404 when the cart has no such line.',
        security: secured,
        params: cartLineParams,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => priced(await use.removeItem.execute(req.params.id, caller(req), req.params.sku)),
  );

  app.post(
    '/api/v1/carts/:id/promotion',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Apply a coupon',
        description:
          'A code that cannot be used now is 409 CONFLICT; `detail` says why and `errors[0].message` is the reason: unknown, not_started, expired, used_up, min_subtotal_not_met. A kept code that stops applying later (the subtotal dropped) shows `discount` 0 and `promotion.reason`.',
        security: secured,
        params: cartParams,
        body: promotionBody,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) => priced(await use.applyPromotion.execute(req.params.id, caller(req), req.body.code)),
  );

  app.delete(
    '/api/v1/carts/:id/promotion',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Remove the coupon',
        security: secured,
        params: cartParams,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => priced(await use.removePromotion.execute(req.params.id, caller(req))),
  );

  app.put(
    '/api/v1/carts/:id/shipping',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Set the shipping address and option',
        description: '`option` is a shipping option code of GET /api/v1/region (400 otherwise).',
        security: secured,
        params: cartParams,
        body: shippingBody,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const { address, option } = req.body;
      return priced(
        await use.setShipping.execute(
          req.params.id,
          caller(req),
          {
            name: address.name,
            line1: address.line1,
            line2: address.line2 ?? undefined,
            city: address.city,
            postalCode: address.postalCode,
            country: address.country,
            phone: address.phone ?? undefined,
          },
          option,
        ),
      );
    },
  );

  app.put(
    '/api/v1/carts/:id/email',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Set the email of a guest cart',
        description: 'Guest carts only: a customer’s cart uses the account’s email (409 CONFLICT).',
        security: secured,
        params: cartParams,
        body: emailBody,
        response: { 200: cartSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) => priced(await use.setEmail.execute(req.params.id, caller(req), req.body.email)),
  );
};
