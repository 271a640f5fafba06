import { newId } from '../../platform/ids.js';
import type { OperationSource } from './payment-ledger.entity.js';
import { type RefundStatus, refundStates } from './refund.lifecycle.js';

/** The longest reason a refund may give (characters, after trimming). */
export const MAX_REFUND_REASON_LENGTH = 500;

/** A refund as it is stored (a `payment_refunds` row). */
export interface RefundProps {
  /** also the idempotency key of its provider call */
  readonly id: string;
  readonly amount: number;
  readonly reason: string;
  readonly status: RefundStatus;
  /** `shopcore`: one we asked for; `provider`: one the provider announced (made on its side) */
  readonly origin: OperationSource;
  readonly providerRef: string | null;
  readonly requestedAt: Date;
  readonly settledAt: Date | null;
}

/**
 * One refund of a payment: an amount given back of what was captured, with its own lifecycle
 * (refund.lifecycle.ts). A refund we ask for is reserved (`pending`) before the provider is called, so
 * concurrent refunds never exceed what was captured; the provider's answer settles it. It moves only
 * through its transition table; the payment (its aggregate) decides when, and keeps the amounts.
 */
export class Refund {
  private constructor(private props: RefundProps) {}

  /**
   * A refund we ask for: `pending`, its amount reserved until the provider answers. `id`: the caller's
   * (returns names the refund of a receipt before asking); a new one when omitted.
   */
  static reserve(p: { id?: string | undefined; amount: number; reason: string; at: Date }): Refund {
    return new Refund({
      id: p.id ?? newId(),
      amount: p.amount,
      reason: p.reason,
      status: 'pending',
      origin: 'shopcore',
      providerRef: null,
      requestedAt: p.at,
      settledAt: null,
    });
  }

  /** A refund the provider announced, made on its side: `succeeded` from the start. */
  static announced(p: { amount: number; reason: string; reference: string; at: Date }): Refund {
    return new Refund({
      id: newId(),
      amount: p.amount,
      reason: p.reason,
      status: 'succeeded',
      origin: 'provider',
      providerRef: p.reference,
      requestedAt: p.at,
      settledAt: p.at,
    });
  }

  static restore(props: RefundProps): Refund {
    return new Refund({ ...props });
  }

  get id(): string {
    return this.props.id;
  }
  get amount(): number {
    return this.props.amount;
  }
  get reason(): string {
    return this.props.reason;
  }
  get status(): RefundStatus {
    return this.props.status;
  }
  get origin(): OperationSource {
    return this.props.origin;
  }
  get providerRef(): string | null {
    return this.props.providerRef;
  }
  get requestedAt(): Date {
    return this.props.requestedAt;
  }
  get settledAt(): Date | null {
    return this.props.settledAt;
  }
  /** its amount is reserved and the provider call is due */
  get pending(): boolean {
    return this.props.status === 'pending';
  }
  get succeeded(): boolean {
    return this.props.status === 'succeeded';
  }

  snapshot(): RefundProps {
    return { ...this.props };
  }

  /** The provider refunded it under `reference` (pending, or released and answered late). */
  succeed(reference: string, at: Date): void {
    this.props = {
      ...this.props,
      status: refundStates.transition(this.props.status, 'succeeded'),
      providerRef: reference,
      settledAt: at,
    };
  }

  /** It did not happen: the reservation is given back. */
  release(at: Date): void {
    this.props = {
      ...this.props,
      status: refundStates.transition(this.props.status, 'released'),
      settledAt: at,
    };
  }
}
