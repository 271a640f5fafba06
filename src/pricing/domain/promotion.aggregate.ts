import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import { type FieldError, ValidationError } from '../../platform/errors.js';
import type { Id } from '../../platform/ids.js';
import { MAX_PRICE_AMOUNT } from './price.aggregate.js';
import type { PromotionRejectionReason } from './pricing.errors.js';
import type { PromotionTerms, PromotionType } from './pricing-engine.service.js';

/** A promotion code as typed: 3–32 letters, digits, `_` or `-`. Stored and matched upper-case. */
export const PROMOTION_CODE_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;
export const MAX_USAGE_LIMIT = 1_000_000_000;

export const isPromotionCode = (code: string): boolean =>
  typeof code === 'string' && PROMOTION_CODE_PATTERN.test(code);
export const normalizePromotionCode = (code: string): string => code.toUpperCase();

export interface PromotionRedeemed extends DomainEvent {
  readonly name: 'PromotionRedeemed';
  readonly code: string;
  readonly orderId: Id;
}

export interface PromotionCreated extends DomainEvent {
  readonly name: 'PromotionCreated';
  readonly code: string;
}

export interface PromotionProps {
  id: Id;
  region: string;
  /** upper-case */
  code: string;
  type: PromotionType;
  /** percentage 1–100, or a fixed amount in minor units of `currency` */
  value: number;
  currency: string;
  /** minor units; the subtotal must be at least this much */
  minSubtotal: number | null;
  /** valid from (inclusive); null = from creation */
  startsAt: Date | null;
  /** valid until (exclusive); null = open-ended */
  endsAt: Date | null;
  /** null = unlimited */
  usageLimit: number | null;
  usedCount: number;
  createdAt: Date;
}

export interface NewPromotion {
  id: Id;
  region: string;
  currency: string;
  code: string;
  type: PromotionType;
  value: number;
  minSubtotal?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
  now: Date;
}

const intIn = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

const validate = (p: NewPromotion): void => {
  const errors: FieldError[] = [];
  if (!isPromotionCode(p.code)) {
    errors.push({ path: 'code', message: 'must be 3–32 letters, digits, "_" or "-"' });
  }
  if (p.type === 'percentage') {
    if (!intIn(p.value, 1, 100)) errors.push({ path: 'value', message: 'a percentage must be 1–100' });
  } else if (p.type === 'fixed') {
    if (!intIn(p.value, 1, MAX_PRICE_AMOUNT)) {
      errors.push({ path: 'value', message: `a fixed amount must be 1–${MAX_PRICE_AMOUNT} minor units` });
    }
  } else {
    errors.push({ path: 'type', message: 'must be percentage or fixed' });
  }
  if (p.minSubtotal != null && !intIn(p.minSubtotal, 0, MAX_PRICE_AMOUNT)) {
    errors.push({ path: 'minSubtotal', message: `must be 0–${MAX_PRICE_AMOUNT} minor units` });
  }
  if (p.usageLimit != null && !intIn(p.usageLimit, 1, MAX_USAGE_LIMIT)) {
    errors.push({ path: 'usageLimit', message: `must be an integer from 1 to ${MAX_USAGE_LIMIT}` });
  }
  for (const key of ['startsAt', 'endsAt'] as const) {
    const d = p[key];
    if (d != null && !(d instanceof Date && Number.isFinite(d.getTime()))) {
      errors.push({ path: key, message: 'must be a date-time' });
    }
  }
  if (p.startsAt && p.endsAt && p.endsAt.getTime() <= p.startsAt.getTime()) {
    errors.push({ path: 'endsAt', message: 'must be after startsAt' });
  }
  if (errors.length > 0) throw new ValidationError('The promotion is invalid; see errors', errors);
};

/**
 * A coupon: a percentage or fixed amount off the subtotal, for subtotals of at least `minSubtotal`,
 * valid in [startsAt, endsAt), at most `usageLimit` times. The usage count itself is kept by the store
 * with one conditional UPDATE per redemption, so that the limit holds under concurrency.
 */
export class Promotion extends AggregateRoot {
  private constructor(private readonly props: PromotionProps) {
    super();
  }

  static create(p: NewPromotion): Promotion {
    validate(p);
    const promotion = new Promotion({
      id: p.id,
      region: p.region,
      code: normalizePromotionCode(p.code),
      type: p.type,
      value: p.value,
      currency: p.currency,
      minSubtotal: p.minSubtotal ?? null,
      startsAt: p.startsAt ?? null,
      endsAt: p.endsAt ?? null,
      usageLimit: p.usageLimit ?? null,
      usedCount: 0,
      createdAt: p.now,
    });
    promotion.record({
      name: 'PromotionCreated',
      aggregateId: p.id,
      occurredAt: p.now,
      code: promotion.code,
    } as PromotionCreated);
    return promotion;
  }

  static restore(props: PromotionProps): Promotion {
    return new Promotion({ ...props });
  }

  get id(): Id {
    return this.props.id;
  }
  get code(): string {
    return this.props.code;
  }
  get type(): PromotionType {
    return this.props.type;
  }
  get value(): number {
    return this.props.value;
  }
  get currency(): string {
    return this.props.currency;
  }
  get minSubtotal(): number | null {
    return this.props.minSubtotal;
  }
  get startsAt(): Date | null {
    return this.props.startsAt;
  }
  get endsAt(): Date | null {
    return this.props.endsAt;
  }
  get usageLimit(): number | null {
    return this.props.usageLimit;
  }
  get usedCount(): number {
    return this.props.usedCount;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }

  /** What the pricing engine needs to compute the discount. */
  get terms(): PromotionTerms {
    return { type: this.props.type, value: this.props.value };
  }

  /**
   * Why the promotion cannot be used at `now` for `subtotal` (null: it can). The subtotal is left out
   * (null) when only the window and the usage count matter.
   */
  rejectionAt(now: Date, subtotal: number | null): Exclude<PromotionRejectionReason, 'unknown'> | null {
    const t = now.getTime();
    if (this.props.startsAt && t < this.props.startsAt.getTime()) return 'not_started';
    if (this.props.endsAt && t >= this.props.endsAt.getTime()) return 'expired';
    if (this.props.usageLimit !== null && this.props.usedCount >= this.props.usageLimit) return 'used_up';
    if (subtotal !== null && this.props.minSubtotal !== null && subtotal < this.props.minSubtotal) {
      return 'min_subtotal_not_met';
    }
    return null;
  }

  /** Records the redemption the store has just counted for `orderId`. */
  redeemedFor(orderId: Id, now: Date): void {
    this.record({
      name: 'PromotionRedeemed',
      aggregateId: this.props.id,
      occurredAt: now,
      code: this.props.code,
      orderId,
    } as PromotionRedeemed);
  }

  snapshot(): Readonly<PromotionProps> {
    return { ...this.props };
  }
}
