import { z } from 'zod';
import { BASE64URL, queryInteger, text } from '../../../platform/http/input.js';
import { moneySchema } from '../../../platform/http/schemas.js';
import { MAX_PRICE_AMOUNT, SKU_PATTERN } from '../../domain/price.aggregate.js';
import { MAX_USAGE_LIMIT, PROMOTION_CODE_PATTERN } from '../../domain/promotion.aggregate.js';

const money = moneySchema;

const minorUnits = (max: number) =>
  z
    .number('must be an integer number of minor units')
    .int('must be an integer number of minor units')
    .min(0, 'must not be negative')
    .max(max, `must be at most ${max}`);

export const skuParams = z.strictObject({
  sku: text({
    max: 64,
    pattern: SKU_PATTERN,
    patternMessage: 'must be a SKU: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  }),
});

export const setPriceBody = z.strictObject({
  amount: minorUnits(MAX_PRICE_AMOUNT).describe('list price in minor units of the region currency'),
});

export const priceSchema = z
  .object({ sku: z.string(), price: money, updatedAt: z.iso.datetime() })
  .meta({ id: 'Price' });

const code = text({
  max: 32,
  pattern: PROMOTION_CODE_PATTERN,
  patternMessage: 'must be 3–32 letters, digits, "_" or "-"',
});
const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' });

export const promotionCodeParams = z.strictObject({ code });

export const createPromotionBody = z
  .strictObject({
    code: code.describe('case-insensitive; stored upper-case, unique in the region'),
    type: z.enum(['percentage', 'fixed']),
    value: z
      .number('must be an integer')
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_PRICE_AMOUNT, `must be at most ${MAX_PRICE_AMOUNT}`)
      .describe('percentage: 1–100; fixed: minor units of the region currency'),
    minSubtotal: minorUnits(MAX_PRICE_AMOUNT).nullish().describe('the subtotal must be at least this'),
    startsAt: dateTime.nullish().describe('valid from (inclusive); default: at once'),
    endsAt: dateTime.nullish().describe('valid until (exclusive); default: open-ended'),
    usageLimit: z
      .number('must be an integer')
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_USAGE_LIMIT)
      .nullish()
      .describe('how many orders may redeem it; default: unlimited'),
  })
  .superRefine(
    (body, ctx) => {
      // runs even when other fields failed, so every offending field is listed at once
      if (typeof body !== 'object' || body === null) return;
      if (body.type === 'percentage' && typeof body.value === 'number' && body.value > 100) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'a percentage must be 1–100' });
      }
      if (typeof body.startsAt === 'string' && typeof body.endsAt === 'string') {
        const starts = Date.parse(body.startsAt);
        const ends = Date.parse(body.endsAt);
        if (Number.isFinite(starts) && Number.isFinite(ends) && ends <= starts) {
          ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
        }
      }
    },
    { when: () => true },
  );

export const promotionSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    type: z.enum(['percentage', 'fixed']),
    value: z.number().int(),
    amount: money.nullable().describe('the amount off, for fixed promotions'),
    minSubtotal: money.nullable(),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
    usageLimit: z.number().int().nullable(),
    usedCount: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Promotion' });

/** Opaque keyset cursor: base64url of `<createdAt ISO>|<id>`. */
export const encodeCursor = (position: { createdAt: Date; id: string }): string =>
  Buffer.from(`${position.createdAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cursor = text({
  max: 200,
  pattern: BASE64URL,
  patternMessage: 'is not a cursor this API returned',
}).transform((value, ctx) => {
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || !Number.isFinite(createdAt.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return { createdAt, id };
});

export const listPromotionsQuery = z.object({
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: cursor.optional(),
});

export const promotionPageSchema = z.object({
  items: z.array(promotionSchema),
  nextCursor: z.string().nullable(),
});
