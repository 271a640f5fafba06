import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import { type FieldError, ValidationError } from '../../platform/errors.js';

/** A SKU as the price list accepts it: 1–64 of letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The highest list price, in minor units (1,000,000.00 of a two-decimal currency). */
export const MAX_PRICE_AMOUNT = 100_000_000;

export const isSku = (sku: string): boolean => SKU_PATTERN.test(sku);

export const priceAmountProblem = (amount: number): string | null =>
  Number.isSafeInteger(amount) && amount >= 0 && amount <= MAX_PRICE_AMOUNT
    ? null
    : `must be an integer number of minor units from 0 to ${MAX_PRICE_AMOUNT}`;

/** Throws a ValidationError listing what is wrong with a SKU and amount. */
export const assertPrice = (sku: string, amount: number): void => {
  const errors: FieldError[] = [];
  if (typeof sku !== 'string' || !isSku(sku)) errors.push({ path: 'sku', message: 'must be a SKU' });
  const amountProblem = priceAmountProblem(amount);
  if (amountProblem) errors.push({ path: 'amount', message: amountProblem });
  if (errors.length > 0) throw new ValidationError('The price is invalid; see errors', errors);
};

export interface PriceChanged extends DomainEvent {
  readonly name: 'PriceChanged';
  readonly sku: string;
  readonly amount: number;
  readonly currency: string;
  readonly previousAmount: number | null;
}

export interface PriceProps {
  region: string;
  sku: string;
  /** integer minor units of `currency`, tax included in inclusive regions */
  amount: number;
  currency: string;
  updatedAt: Date;
}

/** The list price of one SKU in one region. Its id (the event subject) is the SKU. */
export class Price extends AggregateRoot {
  private constructor(private props: PriceProps) {
    super();
  }

  static create(p: { region: string; sku: string; amount: number; currency: string; now: Date }): Price {
    assertPrice(p.sku, p.amount);
    const price = new Price({
      region: p.region,
      sku: p.sku,
      amount: p.amount,
      currency: p.currency,
      updatedAt: p.now,
    });
    price.recordChange(null, p.now);
    return price;
  }

  static restore(props: PriceProps): Price {
    return new Price({ ...props });
  }

  get id(): string {
    return this.props.sku;
  }
  get region(): string {
    return this.props.region;
  }
  get sku(): string {
    return this.props.sku;
  }
  get amount(): number {
    return this.props.amount;
  }
  get currency(): string {
    return this.props.currency;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }

  /** Sets a new amount; returns false (and records nothing) when it is the current one. */
  change(amount: number, now: Date): boolean {
    assertPrice(this.props.sku, amount);
    if (amount === this.props.amount) return false;
    const previous = this.props.amount;
    this.props = { ...this.props, amount, updatedAt: now };
    this.recordChange(previous, now);
    return true;
  }

  snapshot(): Readonly<PriceProps> {
    return { ...this.props };
  }

  private recordChange(previousAmount: number | null, now: Date): void {
    this.record({
      name: 'PriceChanged',
      aggregateId: this.props.sku,
      occurredAt: now,
      sku: this.props.sku,
      amount: this.props.amount,
      currency: this.props.currency,
      previousAmount,
    } as PriceChanged);
  }
}
