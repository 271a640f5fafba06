/**
 * The identity context's public surface: the integration events it publishes (versioned zod schemas,
 * ids and values only, never personal data) and the facade other contexts may call.
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';

export const IDENTITY_CONTEXT = 'identity';

export const customerRegisteredV1 = z.object({ customerId: z.uuid(), region: z.string() });
export const customerErasedV1 = z.object({ customerId: z.uuid() });

export const IdentityEventTypes = {
  CustomerRegistered: eventType(IDENTITY_CONTEXT, 'CustomerRegistered'),
  CustomerErased: eventType(IDENTITY_CONTEXT, 'CustomerErased'),
} as const;

export type CustomerRegisteredV1 = z.infer<typeof customerRegisteredV1>;
export type CustomerErasedV1 = z.infer<typeof customerErasedV1>;

/**
 * Identity facts other contexts may ask for (by id only). Reads take the caller's `tx` when it holds
 * a transaction (connection-guard.ts).
 */
export interface IdentityFacade {
  /** true for an active (not erased) account */
  customerExists(customerId: string, tx?: TransactionHandle): Promise<boolean>;
  /**
   * How to reach an active customer — the account's email, which checkout copies onto the order (a
   * customer's cart has none); null for an unknown or erased account.
   */
  customerContact(
    customerId: string,
    tx?: TransactionHandle,
  ): Promise<{ email: string; name: string } | null>;
}
