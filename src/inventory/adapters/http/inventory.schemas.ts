import { z } from 'zod';
import { BASE64URL, queryInteger, text } from '../../../platform/http/input.js';
import { pageSchema } from '../../../platform/http/schemas.js';
import {
  MAX_ADJUSTMENT,
  MAX_REASON_LENGTH,
  MOVEMENT_KINDS,
  SKU_PATTERN,
} from '../../domain/inventory.rules.js';

const sku = text({
  max: 64,
  pattern: SKU_PATTERN,
  patternMessage: 'must be a SKU: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

export const skuParams = z.strictObject({ sku });

export const warehouseSchema = z
  .object({ id: z.uuid(), code: z.string(), name: z.string() })
  .meta({ id: 'Warehouse' });

export const adjustmentBody = z.strictObject({
  sku,
  warehouseId: z.uuid('must be the id of a warehouse of this region'),
  delta: z
    .number('must be an integer')
    .int('must be an integer')
    .min(-MAX_ADJUSTMENT, `must be at least -${MAX_ADJUSTMENT}`)
    .max(MAX_ADJUSTMENT, `must be at most ${MAX_ADJUSTMENT}`)
    .refine((d) => d !== 0, 'must not be 0')
    .describe('change of the units on hand: positive = received, negative = shrinkage, damage, count'),
  reason: text({ max: MAX_REASON_LENGTH }),
});

export const movementSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    warehouseId: z.uuid(),
    kind: z
      .enum(MOVEMENT_KINDS)
      .describe(
        '`return`: units of a return back on hand; `write_off`: damaged units of a return taken off again',
      ),
    delta: z.number().int().describe('change of on hand'),
    reservedDelta: z.number().int().describe('change of reserved'),
    reason: z.string(),
    actor: z.string().describe('the staff user id, or "system"'),
    orderId: z.uuid().nullable(),
    returnId: z
      .uuid()
      .nullable()
      .describe('the return whose receipt made a `return` or `write_off` movement'),
    onHandAfter: z.number().int(),
    reservedAfter: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'StockMovement' });

export const stockSchema = z
  .object({
    sku: z.string(),
    warehouses: z.array(
      z.object({
        warehouseId: z.uuid(),
        code: z.string(),
        onHand: z.number().int(),
        reserved: z.number().int(),
        available: z.number().int(),
      }),
    ),
    totalAvailable: z.number().int(),
  })
  .meta({ id: 'Stock' });

/** Opaque keyset cursor: base64url of the ledger position. */
export const encodeCursor = (seq: string): string => Buffer.from(`m:${seq}`, 'utf8').toString('base64url');

const cursor = text({
  max: 100,
  pattern: BASE64URL,
  patternMessage: 'is not a cursor this API returned',
}).transform((value, ctx) => {
  const match = /^m:(\d{1,18})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return match[1]!;
});

export const movementsQuery = z.object({
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: cursor.optional(),
});

export const movementPageSchema = pageSchema(movementSchema);
