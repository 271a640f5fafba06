import { z } from 'zod';

/** Money in responses: integer minor units with the ISO 4217 currency (API.md). One schema, one OpenAPI id. */
export const moneySchema = z
  .object({ amount: z.number().int(), currency: z.string().length(3) })
  .meta({ id: 'Money' });

/** The list envelope of API.md: `{ items, nextCursor }`. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A postal address as customers send it (identity's address book, a cart's shipping address). */
export const postalAddressInput = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).nullish(),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().min(1).max(20),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
    .transform((c) => c.toUpperCase()),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()./-]{4,32}$/, 'must be a phone number')
    .nullish(),
});
