import { z } from 'zod';
import { instant, queryInteger } from '../../../platform/http/input.js';
import { keysetCursor } from '../../../platform/http/keyset-cursor.js';
import { pageSchema } from '../../../platform/http/schemas.js';
import type { OrderPosition } from '../../application/order.repository.js';
import { ORDER_STATUSES, type OrderView, orderViewSchema } from '../../contract.js';

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
