import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import { ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { type OrderStatus, orderStates } from './order.lifecycle.js';
import { ORDER_NUMBER_PATTERN } from './order-number.format.js';
import { OrderInvariantError } from './orders.errors.js';

/** Who moved an order: a customer or admin (with their user id), a guest, or the system (workers, sagas). */
export type OrderActorKind = 'customer' | 'guest' | 'admin' | 'system';
export interface OrderActor {
  kind: OrderActorKind;
  /** the user id of a customer or admin; absent for guests and the system */
  id?: string;
}

export interface OrderAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
  phone?: string | null;
}

/** A line as pricing quoted it; amounts in integer minor units of the order's currency. */
export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  /** unitPrice × quantity */
  subtotal: number;
  /** this line's share of the order's discount */
  discount: number;
  /** subtotal − discount */
  lineTotal: number;
  tax: number;
}

export interface ShippingChoice {
  code: string;
  name: string;
}

export interface OrderHistoryEntry {
  /** the status before the move; null for the first entry (CREATED) */
  from: OrderStatus | null;
  status: OrderStatus;
  at: Date;
  reason: string | null;
  actor: OrderActor;
}

/**
 * Something that happened to an order without moving it — a payment capture that failed and is being
 * retried, a capture made. Not a status-history entry: a note is not a transition.
 */
export interface OrderNote {
  at: Date;
  text: string;
  actor: OrderActor;
}

export type TaxMode = 'inclusive' | 'exclusive';

export interface OrderProps {
  id: string;
  number: string;
  status: OrderStatus;
  cartId: string;
  customerId: string | null;
  /** lower-cased; null once the customer's personal data was erased */
  email: string | null;
  currency: string;
  taxMode: TaxMode;
  lines: OrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  promotionCode: string | null;
  /** null once erased */
  shippingAddress: OrderAddress | null;
  shippingOption: ShippingChoice;
  /** every move, oldest first */
  history: OrderHistoryEntry[];
  /** notes that did not move the order, oldest first */
  notes: OrderNote[];
  createdAt: Date;
  updatedAt: Date;
  /** when the status last changed (workers pick orders stuck in a status by it) */
  statusChangedAt: Date;
  /** bumped on every save; the repository refuses a save of a stale copy */
  version: number;
}

/** What placing needs: everything pricing quoted and checkout chose (amounts in minor units). */
export interface PlaceOrderInput {
  id: string;
  number: string;
  cartId: string;
  customerId: string | null;
  email: string;
  currency: string;
  taxMode: TaxMode;
  lines: OrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  promotionCode: string | null;
  shippingAddress: OrderAddress;
  shippingOption: ShippingChoice;
}

/** Domain event: an order was placed (becomes `OrderPlaced` in the outbox). */
export interface OrderPlaced extends DomainEvent {
  readonly name: 'OrderPlaced';
  readonly number: string;
  readonly customerId: string | null;
  readonly currency: string;
  readonly total: number;
  readonly lines: { sku: string; quantity: number; unitPrice: number }[];
}

/** Domain event: an order moved (the statuses of docs/product/events.md become `Order<Status>` in the outbox). */
export interface OrderStatusChanged extends DomainEvent {
  readonly name: 'OrderStatusChanged';
  readonly number: string;
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly reason: string | null;
}

export type OrderDomainEvent = OrderPlaced | OrderStatusChanged;

/** Reasons are short single-line texts ("payment_declined", "customer request"), at most this many code points. */
export const MAX_REASON_LENGTH = 500;

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** C0 controls (line breaks included), DEL and C1 controls: the characters no single-line text holds. */
const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
};

const checkReason = (reason: string | undefined | null): string | null => {
  if (reason === undefined || reason === null) return null;
  const trimmed = reason.trim();
  if (trimmed === '') return null;
  if (codePoints(trimmed) > MAX_REASON_LENGTH || hasControl(trimmed)) {
    throw new ValidationError('The reason is invalid', [
      {
        path: 'reason',
        message: `must be one line of at most ${MAX_REASON_LENGTH} characters without control characters`,
      },
    ]);
  }
  return trimmed;
};

const checkActor = (actor: OrderActor): OrderActor => {
  const needsId = actor.kind === 'customer' || actor.kind === 'admin';
  if (needsId && !(actor.id && isUuid(actor.id)))
    throw new OrderInvariantError(`a ${actor.kind} actor needs a user id`);
  if (!needsId && actor.id) throw new OrderInvariantError(`a ${actor.kind} actor has no id`);
  return needsId ? { kind: actor.kind, id: actor.id! } : { kind: actor.kind };
};

const isAmount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * The amounts of an order must add up the way pricing computes them (docs/pricing.md): line subtotal
 * = unitPrice × quantity, line total = subtotal − discount, the order's subtotal and discount are the
 * sums of its lines', and the total is Σ line totals + shipping (+ tax when tax is added on top).
 * Checkout hands over pricing's quote, so a mismatch is a programming error, not a client's.
 */
const checkAmounts = (o: PlaceOrderInput): void => {
  const fail = (what: string) => {
    throw new OrderInvariantError(`order ${o.id}: ${what}`);
  };
  if (!/^[A-Z]{3}$/.test(o.currency)) fail('currency must be an ISO 4217 code');
  if (o.lines.length === 0) fail('an order has at least one line');
  const skus = new Set<string>();
  o.lines.forEach((l, i) => {
    if (!l.sku || !l.name) fail(`line ${i} needs a SKU and a name`);
    if (skus.has(l.sku)) fail(`line ${i}: SKU ${l.sku} appears twice`);
    skus.add(l.sku);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) fail(`line ${i}: quantity must be ≥ 1`);
    for (const [k, v] of Object.entries({
      unitPrice: l.unitPrice,
      subtotal: l.subtotal,
      discount: l.discount,
      lineTotal: l.lineTotal,
      tax: l.tax,
    })) {
      if (!isAmount(v)) fail(`line ${i}: ${k} must be a non-negative integer of minor units`);
    }
    if (l.unitPrice * l.quantity !== l.subtotal) fail(`line ${i}: subtotal ≠ unitPrice × quantity`);
    if (l.subtotal - l.discount !== l.lineTotal) fail(`line ${i}: lineTotal ≠ subtotal − discount`);
  });
  for (const [k, v] of Object.entries({
    subtotal: o.subtotal,
    discount: o.discount,
    shipping: o.shipping,
    tax: o.tax,
    total: o.total,
  })) {
    if (!isAmount(v)) fail(`${k} must be a non-negative integer of minor units`);
  }
  const sum = (f: (l: OrderLine) => number) => o.lines.reduce((acc, l) => acc + f(l), 0);
  if (sum((l) => l.subtotal) !== o.subtotal) fail('subtotal ≠ Σ line subtotals');
  if (sum((l) => l.discount) !== o.discount) fail('discount ≠ Σ line discounts');
  const expected = sum((l) => l.lineTotal) + o.shipping + (o.taxMode === 'exclusive' ? o.tax : 0);
  if (o.total !== expected)
    fail(
      `total ${o.total} ≠ ${expected} (Σ line totals + shipping${o.taxMode === 'exclusive' ? ' + tax' : ''})`,
    );
};

/**
 * An order: what was bought at which price (fixed when it was placed), where it goes, and where it
 * stands in the state machine of docs/product/spec.md (`order.lifecycle.ts`), with the history of every move — who
 * moved it, when and why. Every move records a domain event; the unit of work turns the ones of
 * docs/product/events.md into outbox rows in the same transaction.
 */
export class Order extends AggregateRoot {
  /** history entries not saved yet (the repository appends them) */
  private unsaved: OrderHistoryEntry[] = [];
  /** notes not saved yet (the repository appends them) */
  private unsavedNoteList: OrderNote[] = [];

  private constructor(private props: OrderProps) {
    super();
  }

  /**
   * A new order: CREATED, then at once PAYMENT_PENDING (two history entries by `actor`), and
   * `OrderPlaced`. Throws OrderInvariantError when the amounts do not add up.
   */
  static place(input: PlaceOrderInput, actor: OrderActor, now: Date): Order {
    if (!ORDER_NUMBER_PATTERN.test(input.number))
      throw new OrderInvariantError(`bad order number ${input.number}`);
    checkAmounts(input);
    const who = checkActor(actor);
    const email = input.email.trim().toLowerCase();
    if (!email.includes('@')) throw new OrderInvariantError(`order ${input.id}: email is not an address`);
    const order = new Order({
      ...input,
      email,
      lines: input.lines.map((l) => ({ ...l })),
      shippingAddress: { ...input.shippingAddress },
      shippingOption: { ...input.shippingOption },
      status: 'CREATED',
      history: [],
      notes: [],
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
      version: 0,
    });
    order.append({ from: null, status: 'CREATED', at: now, reason: null, actor: who });
    const placed: OrderPlaced = {
      name: 'OrderPlaced',
      aggregateId: input.id,
      occurredAt: now,
      number: input.number,
      customerId: input.customerId,
      currency: input.currency,
      total: input.total,
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
    };
    order.record(placed);
    order.moveTo('PAYMENT_PENDING', { actor: who }, now);
    return order;
  }

  static restore(props: OrderProps): Order {
    return new Order({
      ...props,
      lines: [...props.lines],
      history: [...props.history],
      notes: [...props.notes],
    });
  }

  get id(): string {
    return this.props.id;
  }
  get status(): OrderStatus {
    return this.props.status;
  }
  get version(): number {
    return this.props.version;
  }

  /**
   * Moves the order along the state machine, with a history entry and `OrderStatusChanged`. An
   * illegal move (staying put included) throws IllegalStateTransitionError (409).
   */
  moveTo(to: OrderStatus, by: { actor: OrderActor; reason?: string | null }, now: Date): void {
    const from = this.props.status;
    const reason = checkReason(by.reason);
    const actor = checkActor(by.actor);
    this.props.status = orderStates.transition(from, to);
    this.props.updatedAt = now;
    this.props.statusChangedAt = now;
    this.append({ from, status: to, at: now, reason, actor });
    const changed: OrderStatusChanged = {
      name: 'OrderStatusChanged',
      aggregateId: this.props.id,
      occurredAt: now,
      number: this.props.number,
      from,
      to,
      reason,
    };
    this.record(changed);
  }

  /**
   * Something happened to the order that did not move it — a payment capture that failed and is being
   * retried, say: a note with the text and who wrote it, and no event. Not a history entry: the status
   * history holds moves only (no `SHIPPED → SHIPPED`). The same text as the latest note again is not
   * repeated (false), so a provider down for an hour leaves one note.
   */
  note(by: { actor: OrderActor; reason: string }, now: Date): boolean {
    const text = checkReason(by.reason);
    if (!text) throw new OrderInvariantError('a note needs a reason');
    const actor = checkActor(by.actor);
    if (this.props.notes.at(-1)?.text === text) return false;
    this.props.updatedAt = now;
    const note: OrderNote = { at: now, text, actor };
    this.props.notes.push(note);
    this.unsavedNoteList.push(note);
    return true;
  }

  /** The history entries added since the order was placed or loaded, for the repository to append. */
  unsavedHistory(): readonly OrderHistoryEntry[] {
    return this.unsaved;
  }

  /** The notes added since the order was placed or loaded, for the repository to append. */
  unsavedNotes(): readonly OrderNote[] {
    return this.unsavedNoteList;
  }

  /** After a write: nothing unsaved, and the version the row now has. */
  markSaved(version: number): void {
    this.unsaved = [];
    this.unsavedNoteList = [];
    this.props.version = version;
  }

  snapshot(): Readonly<OrderProps> {
    return {
      ...this.props,
      lines: this.props.lines.map((l) => ({ ...l })),
      history: this.props.history.map((h) => ({ ...h, actor: { ...h.actor } })),
      notes: this.props.notes.map((n) => ({ ...n, actor: { ...n.actor } })),
      shippingAddress: this.props.shippingAddress ? { ...this.props.shippingAddress } : null,
      shippingOption: { ...this.props.shippingOption },
    };
  }

  private append(entry: OrderHistoryEntry): void {
    this.props.history.push(entry);
    this.unsaved.push(entry);
  }
}
