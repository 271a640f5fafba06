import { z } from 'zod';
import { instant, queryInteger } from '../../../platform/http/input.js';
import { keysetCursor } from '../../../platform/http/keyset-cursor.js';
import { moneySchema, pageSchema, postalAddressSchema } from '../../../platform/http/schemas.js';
import type { OrderPosition } from '../../application/order.repository.js';
// the contract's own files, not contract.ts: contract.ts re-exports orderViewSchema from here
import { ORDER_STATUSES, type OrderView } from '../../contract/order.view.js';

/**
 * The zod schema of {@link OrderView}, the `Order` of the OpenAPI document: the response schema of
 * every route that answers an order — orders' own and checkout's (`POST /api/v1/orders`, cancel), so
 * the document has one `Order`.
 */
export const orderViewSchema = z
  .object({
    id: z.uuid(),
    number: z.string().describe('human-readable, unique in the region: `EU-000123`'),
    status: z.enum(ORDER_STATUSES),
    customerId: z.uuid().nullable().describe('null for a guest order'),
    email: z.string().nullable().describe('null once the customer’s personal data was erased'),
    currency: z.string().length(3),
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitPrice: moneySchema,
        lineTotal: moneySchema.describe('unitPrice × quantity − this line’s share of the discount'),
      }),
    ),
    subtotal: moneySchema,
    discount: moneySchema,
    shipping: moneySchema,
    tax: moneySchema.describe('contained in the total where the region includes tax, else added to it'),
    total: moneySchema,
    promotionCode: z.string().nullable(),
    shippingAddress: postalAddressSchema
      .meta({ id: 'OrderAddress' })
      .nullable()
      .describe('null once the customer’s personal data was erased'),
    shippingOption: z.object({ code: z.string(), name: z.string() }),
    payment: z
      .object({
        status: z.string(),
        brand: z.string().nullable(),
        last4: z.string().nullable(),
        authorized: moneySchema,
        captured: moneySchema,
        refunded: moneySchema,
        nextAction: z
          .object({ type: z.string(), clientSecret: z.string() })
          .optional()
          .describe(
            'only in the 202 answer of `POST /api/v1/orders` when the provider waits for the customer (3-D Secure, Stripe): what Stripe.js performs (`handleNextAction` with `clientSecret`)',
          ),
      })
      .nullable()
      .describe('null until the order has a payment'),
    shipments: z.array(
      z.object({
        id: z.uuid(),
        status: z.string(),
        warehouseId: z.uuid(),
        trackingNumber: z.string().nullable(),
      }),
    ),
    returns: z
      .array(
        z.object({
          id: z.uuid(),
          number: z.string().describe('the order number, `-R` and the return’s sequence: `EU-000123-R1`'),
          status: z.string(),
          refund: moneySchema.nullable().describe('null until the return’s refund is known'),
        }),
      )
      .describe('the order’s returns, empty until one is requested'),
    history: z
      .array(
        z.object({ status: z.enum(ORDER_STATUSES), at: z.iso.datetime(), reason: z.string().nullable() }),
      )
      .describe(
        'every status the order went through, oldest first: one entry per move (what happened without a move is in `notes`)',
      ),
    notes: z
      .array(z.object({ at: z.iso.datetime(), text: z.string() }))
      .describe(
        'what happened to the order without moving it, oldest first: a payment capture that failed and is retried, the capture made',
      ),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });

/** The response schema and the contract's OrderView type are one shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewsAgree: Same<z.infer<typeof orderViewSchema>, OrderView> = true;
void viewsAgree;

export const orderSchema = orderViewSchema;
export const orderPageSchema = pageSchema(orderSchema);

export const orderParams = z.strictObject({ id: z.uuid('must be a UUID') });

// ---- cursors -----------------------------------------------------------------------------------

/** Opaque keyset cursor: base64url of the position (creation instant and id) of a page's last order. */
const orderCursor = keysetCursor('o1');
export const encodeCursor = (p: OrderPosition): string => orderCursor.encode(p);
const cursor = orderCursor.schema;

const limit = queryInteger({ min: 1, max: 100 }).default(20);

// ---- queries -----------------------------------------------------------------------------------

export const historyQuery = z.strictObject({ limit, cursor: cursor.optional() });

export const orderQuery = z.strictObject({
  email: z
    .email('must be an email address')
    .max(254, 'must be an email address')
    .optional()
    .describe('guest orders: the email the order was placed with (any case)'),
});

export const adminOrdersQuery = z
  .strictObject({
    status: z
      .enum(ORDER_STATUSES, `must be one of ${ORDER_STATUSES.join(', ')}`)
      .optional()
      .describe('only orders in this status'),
    customerId: z.uuid('must be a UUID').optional().describe('only this customer’s orders'),
    from: instant().optional().describe('only orders created at or after this instant'),
    to: instant().optional().describe('only orders created before this instant'),
    limit,
    cursor: cursor.optional(),
  })
  .superRefine((q, ctx) => {
    // runs even when fields failed (every offending field is listed at once): a failed one is still a string
    if (q.from instanceof Date && q.to instanceof Date && q.from.getTime() > q.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before `from`' });
    }
  });
