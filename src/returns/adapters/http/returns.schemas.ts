import { z } from 'zod';
import { queryInteger, text } from '../../../platform/http/input.js';
import { keysetCursor } from '../../../platform/http/keyset-cursor.js';
import { moneySchema, pageSchema } from '../../../platform/http/schemas.js';
import type { ReturnPosition } from '../../application/return.repository.js';
import type { ReturnView } from '../../application/return.view.js';
import { RETURN_CONDITIONS, RETURN_REASONS, RETURN_STATUSES } from '../../contract.js';
import {
  MAX_RETURN_LINES,
  MAX_RETURN_NOTE,
  MAX_RETURN_QUANTITY,
} from '../../domain/return-request.policy.js';

/** docs/product/api.md: SKUs are 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const status = z.enum(RETURN_STATUSES);

const sku = text({
  max: 64,
  pattern: SKU_PATTERN,
  typeMessage: 'must be a SKU',
  patternMessage: 'must be a SKU: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

const quantity = z
  .number('must be an integer')
  .int('must be an integer')
  .min(1, `must be from 1 to ${MAX_RETURN_QUANTITY}`)
  .max(MAX_RETURN_QUANTITY, `must be from 1 to ${MAX_RETURN_QUANTITY}`);

const uniqueSkus = (lines: readonly { sku: string }[], ctx: z.RefinementCtx, field: string) => {
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.sku))
      ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: `appears twice in ${field}` });
    seen.add(l.sku);
  });
};

export const returnSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    number: z.string().describe('the order’s number with a suffix, e.g. `EU-000123-R1`'),
    status,
    lines: z
      .array(
        z.object({
          sku: z.string(),
          quantity: z.number().int().describe('units asked to return'),
          reason: z.enum(RETURN_REASONS),
          received: z.number().int().describe('units received (0 until the parcel arrives)'),
          condition: z
            .enum([...RETURN_CONDITIONS, 'mixed'])
            .nullable()
            .describe(
              'what the received units were found to be; `mixed` when some of each; null before receipt',
            ),
        }),
      )
      .describe('what comes back'),
    exchange: z
      .array(z.object({ sku: z.string(), quantity: z.number().int() }))
      .describe('what the customer gets instead (an exchange); empty for a refund'),
    refund: moneySchema
      .nullable()
      .describe(
        'what is (or is being) refunded; null before receipt and for an exchange without a difference',
      ),
    replacementOrderId: z.uuid().nullable().describe('the replacement order of an exchange, once received'),
    note: z.string().nullable().describe('the customer’s note'),
    warehouseId: z.uuid().nullable().describe('the warehouse that received it'),
    history: z
      .array(z.object({ status, at: z.iso.datetime(), reason: z.string().nullable() }))
      .describe('every move (and note, e.g. a refused refund asked again), oldest first'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Return' });

/** The response schema and the application's view type are one shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewsAgree: Same<z.infer<typeof returnSchema>, ReturnView> = true;
void viewsAgree;

export const returnPageSchema = pageSchema(returnSchema);

export const orderParams = z.strictObject({ id: z.uuid('must be a UUID') });
export const orderReturnParams = z.strictObject({
  id: z.uuid('must be a UUID'),
  returnId: z.uuid('must be a UUID'),
});
export const returnParams = z.strictObject({ id: z.uuid('must be a UUID') });

export const guestQuery = z.strictObject({
  email: z
    .email('must be an email address')
    .max(254, 'must be an email address')
    .optional()
    .describe('guest orders: the email the order was placed with (any case)'),
});

export const requestReturnBody = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        sku,
        quantity,
        reason: z.enum(RETURN_REASONS, `must be one of ${RETURN_REASONS.join(', ')}`),
      }),
    )
    .min(1, 'must hold at least one line')
    .max(MAX_RETURN_LINES, `must hold at most ${MAX_RETURN_LINES} lines`)
    .superRefine((lines, ctx) => uniqueSkus(lines, ctx, 'lines')),
  exchange: z
    .array(z.strictObject({ sku, quantity }))
    .max(MAX_RETURN_LINES, `must hold at most ${MAX_RETURN_LINES} lines`)
    .optional()
    .describe('variants of the returned products to get instead, at the same or a lower price'),
  note: text({ max: MAX_RETURN_NOTE, min: 0, multiline: true }).optional(),
});

export const rejectBody = z.strictObject({ reason: text({ max: 500 }) });

export const receiveBody = z.strictObject({
  warehouseId: z.uuid('must be a UUID'),
  lines: z
    .array(
      z.strictObject({
        sku,
        quantity,
        condition: z.enum(RETURN_CONDITIONS, `must be one of ${RETURN_CONDITIONS.join(', ')}`),
      }),
    )
    .min(1, 'must hold at least one line')
    .max(2 * MAX_RETURN_LINES, `must hold at most ${2 * MAX_RETURN_LINES} lines`),
});

/** Opaque keyset cursor: base64url of the position (creation instant and id) of a page's last return. */
const returnCursor = keysetCursor('r1');
export const encodeCursor = (p: ReturnPosition): string => returnCursor.encode(p);

export const returnsQuery = z.strictObject({
  status: z
    .enum(RETURN_STATUSES, `must be one of ${RETURN_STATUSES.join(', ')}`)
    .optional()
    .describe('only returns in this status'),
  orderId: z.uuid('must be a UUID').optional().describe('only the returns of this order'),
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: returnCursor.schema.optional(),
});
