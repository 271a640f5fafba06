/**
 * The returns context's public surface: its integration events (docs/product/events.md: ids and facts
 * only) and the facade orders (views), notifications (replacement shipped) and the runtime read.
 * Returns owns the return aggregate, its state machine and history, and orchestrates the receipt across
 * inventory (restock, write-off), payments (the refund) and orders (the replacement order, completion).
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';
import type { Money } from '../platform/money.js';
import {
  RETURN_CONDITION_VALUES,
  RETURN_REASON_VALUES,
  RETURN_STATUS_VALUES,
} from './domain/return.lifecycle.js';

export const RETURNS_CONTEXT = 'returns';

/** REQUESTED → APPROVED → RECEIVED → REFUNDED | EXCHANGED, or CANCELLED / REJECTED (the domain's list). */
export const RETURN_STATUSES = RETURN_STATUS_VALUES;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export const RETURN_REASONS = RETURN_REASON_VALUES;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const RETURN_CONDITIONS = RETURN_CONDITION_VALUES;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

// ---- integration events (docs/product/events.md) ----------------------------------------------------------

const returnLineV1 = z.object({ sku: z.string(), quantity: z.number().int().positive() });

/** ReturnRequested, ReturnApproved, ReturnRejected, ReturnCancelled, ReturnReceived. */
export const returnEventV1 = z.object({
  returnId: z.uuid(),
  orderId: z.uuid(),
  number: z.string(),
  lines: z.array(returnLineV1),
  reason: z.string().optional(),
});
export type ReturnEventV1 = z.infer<typeof returnEventV1>;

/** ReturnRefunded, ReturnExchanged: what the customer got back. */
export const returnSettledV1 = z.object({
  returnId: z.uuid(),
  orderId: z.uuid(),
  number: z.string(),
  refund: z.object({ amount: z.number().int().nonnegative(), currency: z.string().length(3) }).optional(),
  replacementOrderId: z.uuid().optional(),
});
export type ReturnSettledV1 = z.infer<typeof returnSettledV1>;

export const ReturnEventTypes = {
  ReturnRequested: eventType(RETURNS_CONTEXT, 'ReturnRequested'),
  ReturnApproved: eventType(RETURNS_CONTEXT, 'ReturnApproved'),
  ReturnRejected: eventType(RETURNS_CONTEXT, 'ReturnRejected'),
  ReturnCancelled: eventType(RETURNS_CONTEXT, 'ReturnCancelled'),
  ReturnReceived: eventType(RETURNS_CONTEXT, 'ReturnReceived'),
  ReturnRefunded: eventType(RETURNS_CONTEXT, 'ReturnRefunded'),
  ReturnExchanged: eventType(RETURNS_CONTEXT, 'ReturnExchanged'),
} as const;

// ---- the facade ------------------------------------------------------------------------------

/** A return as the order view shows it (docs/product/api.md `returns:[{id, number, status, refund}]`). */
export interface ReturnSummary {
  id: string;
  number: string;
  status: ReturnStatus;
  /** what was (or is being) refunded; null before receipt, and for an exchange without a difference */
  refund: Money | null;
}

/** A return named by its id, number and order. */
export interface ReturnReference {
  returnId: string;
  /** the return's number, `EU-000123-R1` */
  number: string;
  /** the order the goods came back from */
  orderId: string;
}

/** The return an order was placed to replace (an exchange's replacement order). */
export type ReplacementOrigin = ReturnReference;

/** Reads of returns for other contexts; on the caller's transaction `tx` when it holds one (ADR 0013). */
export interface ReturnsFacade {
  /** The returns of these orders, oldest first per order (orders without any are absent). */
  summariesOf(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, ReturnSummary[]>>;
  /** The return this order replaces goods of, or null when it is an ordinary order. */
  replacementOrigin(orderId: string, tx?: TransactionHandle): Promise<ReplacementOrigin | null>;
  /**
   * The return a payments refund was made for (its current refund attempt) and whether it is an
   * exchange (its refund is the price difference), or null for any other refund: notifications tells
   * a return's refund once, as `return-refunded`, not also as `refund-issued`.
   */
  returnOfRefund(
    refundId: string,
    tx?: TransactionHandle,
  ): Promise<(ReturnReference & { exchange: boolean }) | null>;
}
