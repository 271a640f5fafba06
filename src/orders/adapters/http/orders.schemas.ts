import { z } from 'zod';
import { queryInteger, text } from '../../../platform/http/input.js';
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

// ---- instants ----------------------------------------------------------------------------------

const INSTANT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const INSTANT_MESSAGE = 'must be an ISO-8601 instant with a time zone, e.g. 2026-03-01T12:00:00Z';

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** An ISO-8601 date-time with `Z` or an offset, checked against the calendar (no 30 February, no 24:00). */
export const parseInstant = (value: string): Date | null => {
  const m = INSTANT.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysIn(y!, mo!) || h! > 23 || mi! > 59 || s! > 59) return null;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const [oh, om] = m[8]!.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8]!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms) - offsetMinutes * 60_000);
};

const instant = (what: string) =>
  text({ max: 40, pattern: INSTANT, patternMessage: INSTANT_MESSAGE })
    .transform((value, ctx) => {
      const at = parseInstant(value);
      if (!at) {
        ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
        return z.NEVER;
      }
      return at;
    })
    .describe(what);

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
    from: instant('only orders created at or after this instant').optional(),
    to: instant('only orders created before this instant').optional(),
    limit,
    cursor: cursor.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from.getTime() > q.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before `from`' });
    }
  });
