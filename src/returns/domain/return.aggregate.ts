import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import type { FieldError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { Money } from '../../platform/money.js';
import {
  type ReturnCondition,
  type ReturnReason,
  type ReturnStatus,
  returnStates,
} from './return.lifecycle.js';
import {
  checkReturnRequest,
  type ExchangeLine,
  MAX_RETURN_NOTE,
  type RequestedLine,
  type ReturnRequestContext,
} from './return-request.policy.js';
import {
  PartialExchangeReceiptError,
  ReturnInvariantError,
  ReturnValidationError,
} from './returns.errors.js';

/** Who moved a return: the customer (by user id), a guest, staff (by user id) or the system (workers, consumers). */
export interface ReturnActor {
  kind: 'customer' | 'guest' | 'staff' | 'system';
  /** the user id of a customer or staff member */
  id?: string;
}

/** What a line's received units were found to be: all resellable, all damaged, or some of each. */
export type LineCondition = ReturnCondition | 'mixed';

export interface ReturnLine {
  sku: string;
  quantity: number;
  reason: ReturnReason;
  /** units received (0 until the receipt) */
  received: number;
  condition: LineCondition | null;
}

/** One line of the receipt as staff recorded it. */
export interface ReceiptLine {
  sku: string;
  quantity: number;
  condition: ReturnCondition;
}

export interface ReturnHistoryEntry {
  /** the status before; null for the first entry; equal to `status` for a note that did not move it */
  from: ReturnStatus | null;
  status: ReturnStatus;
  at: Date;
  reason: string | null;
  actor: ReturnActor;
}

export interface ReturnProps {
  id: string;
  orderId: string;
  orderNumber: string;
  /** 1-based sequence of the order's returns */
  seq: number;
  /** `<order number>-R<seq>`, e.g. `EU-000123-R1` */
  number: string;
  customerId: string | null;
  currency: string;
  status: ReturnStatus;
  lines: ReturnLine[];
  exchange: ExchangeLine[];
  /** the customer's note (personal data: erased with the customer) */
  note: string | null;
  /** what the receipt refunds (policy), before payments' cap; null before the receipt */
  refundDue: number | null;
  /** what payments reserved (or, once REFUNDED, refunded); null while nothing is */
  refund: Money | null;
  /** the payments refund id of the current attempt */
  refundId: string | null;
  refundAttempts: number;
  /** true while a refund is owed and not known to have succeeded (the retry worker's queue) */
  refundOpen: boolean;
  replacementOrderId: string | null;
  warehouseId: string | null;
  receipt: ReceiptLine[];
  history: ReturnHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type ReturnEventName =
  | 'ReturnRequested'
  | 'ReturnApproved'
  | 'ReturnRejected'
  | 'ReturnCancelled'
  | 'ReturnReceived'
  | 'ReturnRefunded'
  | 'ReturnExchanged';

/** What a return recorded; the unit of work maps each to the integration event of the same name. */
export interface ReturnDomainEvent extends DomainEvent {
  readonly name: ReturnEventName;
  readonly orderId: string;
  readonly number: string;
  /** requested units (received units for ReturnReceived) */
  readonly lines: readonly { sku: string; quantity: number }[];
  readonly reason: string | null;
  readonly refund: Money | null;
  readonly replacementOrderId: string | null;
}

const EVENT_OF: Partial<Record<ReturnStatus, ReturnEventName>> = {
  APPROVED: 'ReturnApproved',
  REJECTED: 'ReturnRejected',
  CANCELLED: 'ReturnCancelled',
  RECEIVED: 'ReturnReceived',
  REFUNDED: 'ReturnRefunded',
  EXCHANGED: 'ReturnExchanged',
};

const checkActor = (actor: ReturnActor): ReturnActor => {
  if (actor.kind === 'customer' || actor.kind === 'staff') {
    if (!actor.id || !isUuid(actor.id))
      throw new ReturnInvariantError(`a ${actor.kind} actor needs a user id`);
    return { kind: actor.kind, id: actor.id };
  }
  return { kind: actor.kind };
};

/** The number of an order's `seq`-th return: `EU-000123-R1`. */
export const returnNumber = (orderNumber: string, seq: number): string => `${orderNumber}-R${seq}`;

export interface NewReturn {
  id: string;
  order: ReturnRequestContext['order'] & { id: string; customerId: string | null; currency: string };
  seq: number;
  lines: readonly RequestedLine[];
  exchange: readonly ExchangeLine[];
  note: string | null;
  actor: ReturnActor;
}

/**
 * A customer's return of delivered units of one order (docs/returns.md): requested, approved or
 * rejected by staff, cancelled by the customer before receipt, received into a warehouse, then
 * refunded — or exchanged for a replacement order. Moves only along `returnStates`
 * (return.lifecycle.ts); every move a history entry and a domain event. Its request rules are
 * return-request.policy.ts, applied by `create`.
 */
export class Return extends AggregateRoot {
  private unsaved: ReturnHistoryEntry[] = [];

  private constructor(private readonly props: ReturnProps) {
    super();
  }

  /**
   * A new return, REQUESTED, with `ReturnRequested` — if the request keeps every rule against what
   * the context says of the order, its shipments and its other returns (409/400 otherwise).
   */
  static create(input: NewReturn, ctx: Omit<ReturnRequestContext, 'order'>): Return {
    const note = input.note?.trim() ? input.note.trim() : null;
    if (note && [...note].length > MAX_RETURN_NOTE) {
      throw new ReturnValidationError('The return request is invalid', [
        { path: 'note', message: `must be at most ${MAX_RETURN_NOTE} characters` },
      ]);
    }
    checkReturnRequest({ lines: input.lines, exchange: input.exchange }, { ...ctx, order: input.order });
    if (!Number.isSafeInteger(input.seq) || input.seq < 1) {
      throw new ReturnInvariantError(`return sequence ${input.seq} must be ≥ 1`);
    }
    const ret = new Return({
      id: input.id,
      orderId: input.order.id,
      orderNumber: input.order.number,
      seq: input.seq,
      number: returnNumber(input.order.number, input.seq),
      customerId: input.order.customerId,
      currency: input.order.currency,
      status: 'REQUESTED',
      lines: input.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        reason: l.reason,
        received: 0,
        condition: null,
      })),
      exchange: input.exchange.map((e) => ({ sku: e.sku, quantity: e.quantity })),
      note,
      refundDue: null,
      refund: null,
      refundId: null,
      refundAttempts: 0,
      refundOpen: false,
      replacementOrderId: null,
      warehouseId: null,
      receipt: [],
      history: [],
      createdAt: ctx.now,
      updatedAt: ctx.now,
      version: 0,
    });
    ret.append({
      from: null,
      status: 'REQUESTED',
      at: ctx.now,
      reason: null,
      actor: checkActor(input.actor),
    });
    ret.emit('ReturnRequested', ctx.now, null);
    return ret;
  }

  static restore(props: ReturnProps): Return {
    return new Return({
      ...props,
      lines: props.lines.map((l) => ({ ...l })),
      exchange: props.exchange.map((e) => ({ ...e })),
      receipt: props.receipt.map((r) => ({ ...r })),
      history: [...props.history],
    });
  }

  get id(): string {
    return this.props.id;
  }
  get orderId(): string {
    return this.props.orderId;
  }
  get number(): string {
    return this.props.number;
  }
  get status(): ReturnStatus {
    return this.props.status;
  }
  get version(): number {
    return this.props.version;
  }
  get isExchange(): boolean {
    return this.props.exchange.length > 0;
  }
  get refundId(): string | null {
    return this.props.refundId;
  }

  /** Staff approve the request: REQUESTED → APPROVED (409 otherwise). */
  approve(actor: ReturnActor, now: Date): void {
    this.move('APPROVED', actor, now, null);
  }

  /** Staff reject the request, saying why: REQUESTED → REJECTED (409 otherwise). */
  reject(reason: string, actor: ReturnActor, now: Date): void {
    const why = reason.trim();
    if (!why) throw new ReturnInvariantError('a rejection needs a reason');
    this.move('REJECTED', actor, now, why);
  }

  /** The customer takes it back before receipt: REQUESTED | APPROVED → CANCELLED (409 otherwise). */
  cancel(actor: ReturnActor, now: Date): void {
    this.move('CANCELLED', actor, now, null);
  }

  /**
   * Staff received the parcel into `warehouseId`: APPROVED → RECEIVED (409 ILLEGAL_STATE_TRANSITION
   * from any other status, checked first). Per SKU the receipt lines add up to at most the requested
   * units, and to one unit at least in all (400); an exchange is received in full (409 CONFLICT).
   * Returns the received units per SKU.
   */
  receive(
    input: { warehouseId: string; lines: readonly ReceiptLine[] },
    actor: ReturnActor,
    now: Date,
  ): Map<string, number> {
    returnStates.transition(this.props.status, 'RECEIVED'); // throws before anything changes
    const requested = new Map(this.props.lines.map((l) => [l.sku, l.quantity]));
    const received = new Map<string, number>();
    const conditions = new Map<string, Set<ReturnCondition>>();
    const errors: FieldError[] = [];
    input.lines.forEach((l, i) => {
      if (!requested.has(l.sku)) {
        errors.push({ path: `lines[${i}].sku`, message: `${l.sku} is not on this return` });
        return;
      }
      if (!Number.isSafeInteger(l.quantity) || l.quantity < 0) {
        errors.push({ path: `lines[${i}].quantity`, message: 'must be a whole number ≥ 0' });
        return;
      }
      const total = (received.get(l.sku) ?? 0) + l.quantity;
      received.set(l.sku, total);
      if (total > requested.get(l.sku)!) {
        errors.push({
          path: `lines[${i}].quantity`,
          message: `more units of ${l.sku} than were requested (${requested.get(l.sku)})`,
        });
      }
      if (l.quantity > 0) conditions.set(l.sku, (conditions.get(l.sku) ?? new Set()).add(l.condition));
    });
    if (errors.length === 0 && [...received.values()].every((n) => n === 0)) {
      errors.push({ path: 'lines', message: 'must receive at least one unit' });
    }
    if (errors.length > 0) throw new ReturnValidationError('The receipt is invalid', errors);
    if (this.isExchange && this.props.lines.some((l) => (received.get(l.sku) ?? 0) !== l.quantity)) {
      throw new PartialExchangeReceiptError(this.props.number);
    }
    this.props.warehouseId = input.warehouseId;
    this.props.receipt = input.lines.filter((l) => l.quantity > 0).map((l) => ({ ...l }));
    for (const line of this.props.lines) {
      line.received = received.get(line.sku) ?? 0;
      const c = conditions.get(line.sku);
      line.condition = !c ? null : c.size > 1 ? 'mixed' : ([...c][0] as ReturnCondition);
    }
    this.move('RECEIVED', actor, now, null);
    return received;
  }

  /** The refund the receipt owes (the policy's amount); a refund is then open until it succeeded. */
  oweRefund(amount: number): void {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new ReturnInvariantError(`refund ${amount} < 0`);
    this.props.refundDue = amount;
    this.props.refundOpen = amount > 0;
    if (amount === 0 && !this.isExchange) this.props.refund = { amount: 0, currency: this.props.currency };
  }

  get refundDue(): number | null {
    return this.props.refundDue;
  }

  /** A refund attempt was made: payments reserved `amount` under `refundId`, or (null) could not yet. */
  refundRequested(refundId: string | null, amount: number | null, now: Date): void {
    this.props.refundId = refundId;
    this.props.refundAttempts += 1;
    if (amount !== null) this.props.refund = { amount, currency: this.props.currency };
    this.props.updatedAt = now;
  }

  /**
   * The refund succeeded (`amount` refunded): RECEIVED → REFUNDED with `ReturnRefunded`; an exchange's
   * difference refund just closes. False when nothing was open (idempotent).
   */
  refunded(amount: number, now: Date, note: string | null = null): boolean {
    if (this.props.status === 'RECEIVED' && !this.isExchange) {
      this.props.refundOpen = false;
      this.props.refund = { amount, currency: this.props.currency };
      this.move('REFUNDED', { kind: 'system' }, now, note);
      return true;
    }
    if (!this.props.refundOpen) return false;
    this.props.refundOpen = false;
    this.props.refund = { amount, currency: this.props.currency };
    this.note(note ?? 'difference refunded', now);
    return true;
  }

  /** The replacement order was placed: RECEIVED → EXCHANGED with `ReturnExchanged`. */
  exchanged(replacementOrderId: string, now: Date): void {
    if (!this.isExchange) throw new ReturnInvariantError(`return ${this.props.number} is not an exchange`);
    returnStates.transition(this.props.status, 'EXCHANGED');
    this.props.replacementOrderId = replacementOrderId;
    this.move('EXCHANGED', { kind: 'system' }, now, null);
  }

  /** Something happened that did not move it (a refused refund asked again): a history entry. */
  note(text: string, now: Date): void {
    this.props.updatedAt = now;
    this.append({
      from: this.props.status,
      status: this.props.status,
      at: now,
      reason: text,
      actor: { kind: 'system' },
    });
  }

  /** GDPR erasure: the customer's note goes; false when there was none. */
  eraseNote(now: Date): boolean {
    if (this.props.note === null) return false;
    this.props.note = null;
    this.props.updatedAt = now;
    return true;
  }

  unsavedHistory(): readonly ReturnHistoryEntry[] {
    return this.unsaved;
  }

  markSaved(version: number): void {
    this.unsaved = [];
    this.props.version = version;
  }

  snapshot(): ReturnProps {
    return {
      ...this.props,
      lines: this.props.lines.map((l) => ({ ...l })),
      exchange: this.props.exchange.map((e) => ({ ...e })),
      receipt: this.props.receipt.map((r) => ({ ...r })),
      refund: this.props.refund ? { ...this.props.refund } : null,
      history: this.props.history.map((h) => ({ ...h, actor: { ...h.actor } })),
    };
  }

  private move(to: ReturnStatus, actor: ReturnActor, now: Date, reason: string | null): void {
    const from = this.props.status;
    const who = checkActor(actor);
    this.props.status = returnStates.transition(from, to);
    this.props.updatedAt = now;
    this.append({ from, status: to, at: now, reason, actor: who });
    const name = EVENT_OF[to];
    if (name) this.emit(name, now, reason);
  }

  private append(entry: ReturnHistoryEntry): void {
    this.props.history.push(entry);
    this.unsaved.push(entry);
  }

  private emit(name: ReturnEventName, at: Date, reason: string | null): void {
    const received = name === 'ReturnReceived';
    const event: ReturnDomainEvent = {
      name,
      aggregateId: this.props.id,
      occurredAt: at,
      orderId: this.props.orderId,
      number: this.props.number,
      lines: this.props.lines
        .map((l) => ({ sku: l.sku, quantity: received ? l.received : l.quantity }))
        .filter((l) => l.quantity > 0),
      reason,
      refund: this.props.refund ? { ...this.props.refund } : null,
      replacementOrderId: this.props.replacementOrderId,
    };
    this.record(event);
  }
}
