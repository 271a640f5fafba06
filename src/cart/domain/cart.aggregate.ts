import { AggregateRoot } from '../../platform/domain/aggregate-root.js';
import { ValidationError } from '../../platform/errors.js';
import { CartLineNotFoundError, CustomerCartEmailError, LineQuantityLimitError } from './cart.errors.js';
import { type CartStatus, cartStates } from './cart.lifecycle.js';

export type { CartStatus } from './cart.lifecycle.js';

/** The most units of one SKU a cart line may hold. */
export const MAX_LINE_QUANTITY = 99;
/** A cart nobody touched for this long expires (SPEC: 30 days idle). */
export const DEFAULT_IDLE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A SKU as the catalog spells it. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
  phone?: string | undefined;
}

export interface CartLine {
  readonly sku: string;
  readonly quantity: number;
  readonly addedAt: Date;
}

export interface CartProps {
  id: string;
  customerId: string | null;
  email: string | null;
  currency: string;
  promotionCode: string | null;
  shippingAddress: ShippingAddress | null;
  shippingOption: string | null;
  status: CartStatus;
  /** the order the cart was checked out as (closed carts) */
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** bumped on every save */
  version: number;
  lines: CartLine[];
}

const assertQuantity = (quantity: number, min: number): void => {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_LINE_QUANTITY) {
    throw new ValidationError('The quantity is invalid', [
      { path: 'quantity', message: `must be an integer from ${min} to ${MAX_LINE_QUANTITY}` },
    ]);
  }
};

/**
 * A shopping cart: lines of SKUs with quantities, an optional coupon code, shipping address and
 * option, and an email for guests. It holds no money: every amount comes from pricing when the cart
 * is shown. Every change moves the idle expiry `expiresAt` to `idleTtlMs` after the change.
 */
export class Cart extends AggregateRoot {
  private constructor(
    private props: CartProps,
    private readonly idleTtlMs: number,
  ) {
    super();
  }

  static open(p: {
    id: string;
    customerId: string | null;
    currency: string;
    now: Date;
    idleTtlMs: number;
  }): Cart {
    return new Cart(
      {
        id: p.id,
        customerId: p.customerId,
        email: null,
        currency: p.currency,
        promotionCode: null,
        shippingAddress: null,
        shippingOption: null,
        status: 'open',
        orderId: null,
        createdAt: p.now,
        updatedAt: p.now,
        expiresAt: new Date(p.now.getTime() + p.idleTtlMs),
        version: 0,
        lines: [],
      },
      p.idleTtlMs,
    );
  }

  static restore(props: CartProps, idleTtlMs: number): Cart {
    return new Cart({ ...props, lines: [...props.lines] }, idleTtlMs);
  }

  get id(): string {
    return this.props.id;
  }
  get customerId(): string | null {
    return this.props.customerId;
  }
  get email(): string | null {
    return this.props.email;
  }
  get currency(): string {
    return this.props.currency;
  }
  get promotionCode(): string | null {
    return this.props.promotionCode;
  }
  get shippingAddress(): ShippingAddress | null {
    return this.props.shippingAddress;
  }
  get shippingOption(): string | null {
    return this.props.shippingOption;
  }
  get orderId(): string | null {
    return this.props.orderId;
  }
  get status(): CartStatus {
    return this.props.status;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }
  get expiresAt(): Date {
    return this.props.expiresAt;
  }
  get version(): number {
    return this.props.version;
  }
  /** Lines in the order they were first added. */
  get lines(): readonly CartLine[] {
    return this.props.lines;
  }
  get isGuest(): boolean {
    return this.props.customerId === null;
  }

  snapshot(): CartProps {
    return { ...this.props, lines: [...this.props.lines] };
  }

  /** Open and not past its idle expiry at `now`: the only carts anyone may see or change. */
  isLiveAt(now: Date): boolean {
    return this.props.status === 'open' && this.props.expiresAt.getTime() > now.getTime();
  }

  /** A guest cart is anyone's who holds its id; a customer's cart only that customer's. */
  isVisibleTo(userId: string | null): boolean {
    return this.props.customerId === null || this.props.customerId === userId;
  }

  quantityOf(sku: string): number {
    return this.props.lines.find((l) => l.sku === sku)?.quantity ?? 0;
  }

  /** What the line would hold after adding `quantity`; throws when that exceeds the line maximum. */
  quantityAfterAdding(sku: string, quantity: number): number {
    assertQuantity(quantity, 1);
    const current = this.quantityOf(sku);
    if (current + quantity > MAX_LINE_QUANTITY) {
      throw new LineQuantityLimitError(sku, current, MAX_LINE_QUANTITY);
    }
    return current + quantity;
  }

  /** Adds units of a SKU (a new line, or more of an existing one). */
  addLine(sku: string, quantity: number, now: Date): void {
    this.setLineQuantity(sku, this.quantityAfterAdding(sku, quantity), now);
  }

  /** Sets the quantity of an existing line; 0 removes it. */
  changeQuantity(sku: string, quantity: number, now: Date): void {
    assertQuantity(quantity, 0);
    if (this.quantityOf(sku) === 0) throw new CartLineNotFoundError(sku);
    if (quantity === 0) this.props.lines = this.props.lines.filter((l) => l.sku !== sku);
    else this.setLineQuantity(sku, quantity, now);
    this.touch(now);
  }

  removeLine(sku: string, now: Date): void {
    this.changeQuantity(sku, 0, now);
  }

  /** Keeps the code (normalised by pricing); whether it applies is decided each time the cart is priced. */
  applyPromotion(code: string, now: Date): void {
    this.props.promotionCode = code;
    this.touch(now);
  }

  removePromotion(now: Date): void {
    this.props.promotionCode = null;
    this.touch(now);
  }

  setShipping(address: ShippingAddress, option: string, now: Date): void {
    this.props.shippingAddress = { ...address };
    this.props.shippingOption = option;
    this.touch(now);
  }

  /** Guest carts only: a customer's orders go to the account's email. */
  setEmail(email: string, now: Date): void {
    if (!this.isGuest) throw new CustomerCartEmailError();
    this.props.email = email;
    this.touch(now);
  }

  /**
   * A guest cart becomes the customer's (adoption at login when they have no open cart). Its guest
   * email is dropped: a customer's cart has no email of its own — the account's email applies.
   */
  assignTo(customerId: string, now: Date): void {
    this.props.customerId = customerId;
    this.props.email = null;
    this.touch(now);
  }

  /**
   * Takes over a guest cart's contents at login: its lines are added (each line capped at the
   * maximum), its coupon and shipping fill what this cart has not set. The guest's email is not
   * taken (a customer's cart has none; the account's email applies). `guest` is closed.
   */
  mergeFrom(guest: Cart, now: Date): void {
    const guestStatus = cartStates.transition(guest.props.status, 'closed');
    for (const line of guest.lines) {
      const quantity = Math.min(MAX_LINE_QUANTITY, this.quantityOf(line.sku) + line.quantity);
      this.setLineQuantity(line.sku, quantity, now, line.addedAt);
    }
    this.props.promotionCode ??= guest.promotionCode;
    if (this.props.shippingAddress === null && this.props.shippingOption === null) {
      this.props.shippingAddress = guest.shippingAddress;
      this.props.shippingOption = guest.shippingOption;
    }
    this.touch(now);
    guest.props.status = guestStatus;
    guest.props.lines = [];
    guest.props.updatedAt = now;
  }

  /**
   * Checkout placed an order from this cart: nobody sees or changes it any more. Idempotent for the
   * same order; an expired cart or one closed by another order is 404 (CartNotFoundError).
   */
  close(orderId: string, now: Date): void {
    if (this.props.status === 'closed' && this.props.orderId === orderId) return;
    this.props.status = cartStates.transition(this.props.status, 'closed');
    this.props.orderId = orderId;
    this.props.updatedAt = now;
  }

  /**
   * The order placed from this cart did not go through (payment declined): the cart is open again
   * as it was, idle expiry counted from now, so the shopper can pay another way. Only the order that
   * closed it may reopen it; returns false (nothing changes) otherwise.
   */
  reopenAfter(orderId: string, now: Date): boolean {
    if (this.props.status !== 'closed' || this.props.orderId !== orderId) return false;
    this.props.status = cartStates.transition(this.props.status, 'open');
    this.props.orderId = null;
    this.touch(now);
    return true;
  }

  /** Past its idle expiry: out of sight for good (an open cart only). */
  expire(now: Date): void {
    this.props.status = cartStates.transition(this.props.status, 'expired');
    this.props.updatedAt = now;
  }

  private setLineQuantity(sku: string, quantity: number, now: Date, addedAt: Date = now): void {
    const index = this.props.lines.findIndex((l) => l.sku === sku);
    if (index >= 0) {
      const line = this.props.lines[index]!;
      this.props.lines[index] = { sku, quantity, addedAt: line.addedAt };
    } else {
      this.props.lines.push({ sku, quantity, addedAt });
    }
    this.touch(now);
  }

  private touch(now: Date): void {
    this.props.updatedAt = now;
    this.props.expiresAt = new Date(now.getTime() + this.idleTtlMs);
  }
}
