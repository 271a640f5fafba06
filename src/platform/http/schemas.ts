import { z } from 'zod';
import { text } from './input.js';

/** Money in responses: integer minor units with the ISO 4217 currency (docs/product/api.md). One schema, one OpenAPI id. */
export const moneySchema = z
  .object({ amount: z.number().int(), currency: z.string().length(3) })
  .meta({ id: 'Money' });

/** The list envelope of docs/product/api.md: `{ items, nextCursor }`. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A postal address in responses (an address-book entry, a cart's or an order's shipping address):
 * every field present, absent optional ones as null. Each answer gives it its own OpenAPI id
 * (`.meta({ id })`: `Address`, `CartShippingAddress`, `OrderAddress`).
 */
export const postalAddressSchema = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string(),
  phone: z.string().nullable(),
});

/** A postal address as customers send it (identity's address book, a cart's shipping address). */
export const postalAddressInput = z.strictObject({
  name: text({ max: 200 }),
  line1: text({ max: 200 }),
  line2: text({ max: 200, min: 0 }).nullish(),
  city: text({ max: 100 }),
  postalCode: text({ max: 20 }),
  country: text({
    max: 2,
    pattern: /^[A-Za-z]{2}$/,
    patternMessage: 'must be an ISO 3166-1 alpha-2 country code',
  }).transform((c) => c.toUpperCase()),
  phone: text({
    max: 33,
    pattern: /^\+?[0-9 ()./-]{4,32}$/,
    patternMessage: 'must be a phone number',
    trim: true,
  }).nullish(),
});
