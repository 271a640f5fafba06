import { z } from 'zod';
import { text } from '../../../platform/http/input.js';
import { moneySchema, postalAddressInput, postalAddressSchema } from '../../../platform/http/schemas.js';
import { MAX_LINE_QUANTITY, SKU_PATTERN } from '../../domain/cart.aggregate.js';

const sku = text({
  max: 64,
  pattern: SKU_PATTERN,
  typeMessage: 'must be a SKU',
  patternMessage: 'must be a SKU: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

const quantity = (min: number) =>
  z
    .number('must be an integer')
    .int('must be an integer')
    .min(min, `must be from ${min} to ${MAX_LINE_QUANTITY}`)
    .max(MAX_LINE_QUANTITY, `must be from ${min} to ${MAX_LINE_QUANTITY}`);

export const cartParams = z.strictObject({ id: z.uuid('must be a UUID') });
export const cartLineParams = z.strictObject({ id: z.uuid('must be a UUID'), sku });

/** No body, an empty JSON body (no body: platform/http/json-body.ts) or `{}`. */
export const createCartBody = z.strictObject({}).nullish();

export const addItemBody = z.strictObject({
  sku,
  quantity: quantity(1).describe('added to the line (the line holds at most 99)'),
});

export const changeItemBody = z.strictObject({
  quantity: quantity(0).describe('the line’s new quantity; 0 removes the line'),
});

export const promotionBody = z.strictObject({
  code: text({ max: 64, typeMessage: 'must be a promotion code' }),
});

export const shippingAddressInput = postalAddressInput;

export const shippingBody = z.strictObject({
  address: shippingAddressInput,
  option: text({ max: 64, trim: false }).describe('a shipping option code of GET /api/v1/region'),
});

export const emailBody = z.strictObject({ email: z.email('must be an email address').max(254) });

const shippingAddressSchema = postalAddressSchema.meta({ id: 'CartShippingAddress' });

export const cartSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid().nullable(),
    email: z
      .string()
      .nullable()
      .describe(
        'guest carts: where the order confirmation goes; null on a customer’s cart (the account’s email applies)',
      ),
    currency: z.string().length(3),
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitPrice: moneySchema,
        subtotal: moneySchema.describe('unitPrice × quantity'),
        discount: moneySchema.describe('this line’s share of the coupon discount'),
        lineTotal: moneySchema.describe('subtotal − discount'),
      }),
    ),
    unavailable: z
      .array(
        z.object({
          sku: z.string(),
          name: z.string().nullable(),
          quantity: z.number().int(),
          reason: z.enum(['unknown', 'inactive', 'no_price']),
        }),
      )
      .describe('lines kept in the cart that cannot be bought now; left out of every amount'),
    subtotal: moneySchema,
    discount: moneySchema,
    shipping: moneySchema,
    tax: moneySchema.describe('contained in the total where the region includes tax, else added to it'),
    total: moneySchema,
    taxMode: z.enum(['inclusive', 'exclusive']),
    promotionCode: z.string().nullable(),
    promotion: z
      .object({
        code: z.string(),
        applied: z.boolean(),
        reason: z
          .enum(['unknown', 'not_started', 'expired', 'used_up', 'min_subtotal_not_met'])
          .optional()
          .describe('why the kept code gives no discount now'),
      })
      .nullable(),
    shippingAddress: shippingAddressSchema.nullable(),
    shippingOption: z.string().nullable(),
    updatedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().describe('the cart expires when left untouched until then'),
  })
  .meta({ id: 'Cart' });
