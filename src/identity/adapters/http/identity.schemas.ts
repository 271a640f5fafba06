import { z } from 'zod';
import { text } from '../../../platform/http/input.js';
import { postalAddressInput, postalAddressSchema } from '../../../platform/http/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/password.policy.js';

const email = z.email('must be an email address').max(254);
/**
 * A password being set: the text rules (no control characters) and at least one character that is
 * not whitespace — the domain's policy (password.policy.ts) says the same, this states it in the
 * document. Spaces inside and around it are kept as sent (NIST 800-63B: passphrases welcome).
 */
// built from a string, as input.ts builds the text rules (a control character in a regex literal is a lint error)
const CONTROL = '\\u0000-\\u001F\\u007F-\\u009F';
const NOT_ONLY_WHITESPACE = new RegExp(`^[^${CONTROL}]*[^\\s${CONTROL}][^${CONTROL}]*$`);
const password = text({
  min: PASSWORD_MIN_LENGTH,
  max: PASSWORD_MAX_LENGTH,
  trim: false,
  pattern: NOT_ONLY_WHITESPACE,
  patternMessage: 'must not be only whitespace',
});
const name = text({ max: 200 });

export const customerSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    region: z.string(),
    roles: z.array(z.enum(['customer', 'inventory_manager', 'admin'])),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });

export const tokensSchema = z
  .object({
    customer: customerSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().describe('seconds until the access token expires'),
    tokenType: z.literal('Bearer'),
  })
  .meta({ id: 'Tokens' });

export const registerBody = z.strictObject({ email, password, name });
export const loginBody = z.strictObject({
  email: text({ max: 254, trim: false }),
  password: text({ max: PASSWORD_MAX_LENGTH, trim: false }),
  cartId: z.uuid().optional().describe('a guest cart to adopt (cart context)'),
});
export const refreshBody = z.strictObject({ refreshToken: text({ max: 512, trim: false }) });

export const updateMeBody = z
  .strictObject({
    name: name.optional(),
    email: email.optional().describe('the login email; changing it takes `currentPassword`'),
    currentPassword: text({ max: PASSWORD_MAX_LENGTH, trim: false })
      .optional()
      .describe(
        "the account's current password: required when `email` changes (400 without it, 403 when wrong); checked whenever it is sent",
      ),
  })
  .refine((b) => b.name !== undefined || b.email !== undefined, { message: 'send name or email' });

export const addressInput = postalAddressInput;
export const addressPatch = addressInput
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field' });

export const addressSchema = z.object({ id: z.uuid(), ...postalAddressSchema.shape }).meta({ id: 'Address' });

export const idParams = z.strictObject({ id: z.uuid('must be a UUID') });

export const staffBody = z.strictObject({
  email,
  password,
  name,
  roles: z
    .array(z.enum(['inventory_manager', 'admin']))
    .min(1, 'give at least one role')
    .max(2),
});

export const exportSchema = z
  .object({
    exportedAt: z.iso.datetime(),
    profile: customerSchema,
    addresses: z.array(addressSchema),
    orders: z.array(z.unknown()),
    carts: z.array(z.unknown()).describe('carts of the caller: contact email, shipping address, items'),
  })
  .describe('Profile and addresses, then what each other context holds about the caller');
