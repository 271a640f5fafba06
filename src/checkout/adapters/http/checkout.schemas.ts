import { z } from 'zod';
import { MAX_PAYMENT_AMOUNT } from '../../../payments/contract.js';
import { text } from '../../../platform/http/input.js';

/** `POST /api/v1/orders` (docs/product/api.md): the cart to order and the provider's payment token. */
export const placeOrderBody = z.strictObject({
  cartId: z.uuid('must be a UUID'),
  payment: z.strictObject({
    token: text({
      max: 128,
      pattern: /^[A-Za-z0-9_-]+$/,
      patternMessage: 'must be a payment token from the provider (letters, digits, "_" or "-")',
    }).describe(
      'the provider’s token for the card (fake provider: tok_visa, tok_mastercard, tok_declined, tok_error, tok_slow)',
    ),
  }),
});

export const orderParams = z.strictObject({ id: z.uuid('must be a UUID') });

/** A cancellation may say why; the body may be left out. */
export const cancelBody = z.strictObject({ reason: text({ max: 500 }).optional() }).nullish();

/**
 * `POST /api/v1/admin/orders/:id/refunds`: minor units; omitted = all that remains. The limit is the
 * one payments enforces (MAX_PAYMENT_AMOUNT), so the document states what the server refuses.
 */
export const refundBody = z.strictObject({
  amount: z
    .number('must be an integer amount in minor units')
    .int('must be an integer amount in minor units')
    .min(1, 'must be at least 1')
    .max(MAX_PAYMENT_AMOUNT, `must be at most ${MAX_PAYMENT_AMOUNT}`)
    .optional()
    .describe('minor units of the order’s currency; omitted: all that was captured and not refunded'),
  reason: text({ max: 500 }),
});
