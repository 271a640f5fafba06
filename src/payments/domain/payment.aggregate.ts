import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import {
  ConflictError,
  type FieldError,
  IllegalStateTransitionError,
  ValidationError,
} from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { type PaymentStatus, paymentStates } from './payment.lifecycle.js';
import {
  type LedgerDetails,
  type LedgerEntry,
  type OperationKind,
  type OperationOutcome,
  type OperationSource,
  PaymentLedger,
} from './payment-ledger.entity.js';
import { NothingToRefundError, RefundExceedsRefundableError } from './payments.errors.js';
import { Refund, type RefundProps } from './refund.entity.js';

/** The largest amount a payment may be for (minor units); Postgres `integer`. */
export const MAX_PAYMENT_AMOUNT = 2_147_483_647;
const LAST4 = /^[0-9]{4}$/;
const CURRENCY = /^[A-Z]{3}$/;

export type PaymentEventName =
  | 'PaymentAuthorized'
  | 'PaymentCaptured'
  | 'PaymentCaptureFailed'
  | 'PaymentFailed'
  | 'PaymentVoided'
  | 'PaymentRefunded';

/** What a payment recorded; the unit of work maps each to the integration event of the same name. */
export interface PaymentDomainEvent extends DomainEvent {
  readonly name: PaymentEventName;
  readonly orderId: string;
  /** what this operation authorized, captured, voided or refunded (minor units) */
  readonly amount: number;
  readonly currency: string;
  readonly reason?: string;
  /** PaymentRefunded of a refund we asked for: its id (the caller's `refundId`, the provider's idempotency key) */
  readonly refundId?: string;
}

export interface PaymentProps {
  id: string;
  orderId: string;
  /** the provider that holds it (`fake`) */
  provider: string;
  status: PaymentStatus;
  currency: string;
  /** what the order asks for */
  amount: number;
  /** the provider's token for the card; never a card number */
  token: string;
  brand: string | null;
  last4: string | null;
  authorized: number;
  captured: number;
  refunded: number;
  /** the provider's reference of the authorization (captures, voids and refunds refer to it) */
  providerRef: string | null;
  captureRef: string | null;
  failureReason: string | null;
  cancelReason: string | null;
  /** when the capture was asked for (the order's first dispatch); due while AUTHORIZED */
  captureRequestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** bumped on every save */
  version: number;
  /** its refunds, in the order they were requested */
  refunds: RefundProps[];
}

/** What the payment holds: its columns, and its refunds as entities. */
type PaymentState = Omit<PaymentProps, 'refunds'> & { refunds: Refund[] };

const positiveAmount = (value: unknown, path: string): FieldError | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_PAYMENT_AMOUNT
    ? null
    : { path, message: `must be an integer amount of minor units from 1 to ${MAX_PAYMENT_AMOUNT}` };

const REFUNDABLE: readonly PaymentStatus[] = ['CAPTURED', 'PARTIALLY_REFUNDED'];

/**
 * A payment of one order at one provider: its state machine (payment.lifecycle.ts) and the amounts
 * authorized, captured and refunded (integer minor units). It orchestrates its refunds
 * (refund.entity.ts, each with its own lifecycle, reserved before the provider is asked, so concurrent
 * refunds never exceed what was captured) and the ledger of provider operations it appends to
 * (payment-ledger.entity.ts). It holds the provider token, brand and last four digits, never a card
 * number. The provider is called by the use cases, outside any transaction; the aggregate records
 * what came of it.
 */
export class Payment extends AggregateRoot {
  private readonly ledger: PaymentLedger;
  private readonly changedRefunds = new Set<string>();

  private constructor(private readonly props: PaymentState) {
    super();
    this.ledger = new PaymentLedger(props.id);
  }

  static open(p: {
    id: string;
    orderId: string;
    provider: string;
    amount: number;
    currency: string;
    token: string;
    now: Date;
  }): Payment {
    const errors = [positiveAmount(p.amount, 'amount')].filter((e): e is FieldError => e !== null);
    if (!CURRENCY.test(p.currency)) errors.push({ path: 'currency', message: 'must be an ISO 4217 code' });
    if (!p.token) errors.push({ path: 'payment.token', message: 'must not be empty' });
    if (errors.length > 0) throw new ValidationError('The payment is invalid; see errors', errors);
    return new Payment({
      id: p.id,
      orderId: p.orderId,
      provider: p.provider,
      status: 'PENDING',
      currency: p.currency,
      amount: p.amount,
      token: p.token,
      brand: null,
      last4: null,
      authorized: 0,
      captured: 0,
      refunded: 0,
      providerRef: null,
      captureRef: null,
      failureReason: null,
      cancelReason: null,
      captureRequestedAt: null,
      createdAt: p.now,
      updatedAt: p.now,
      version: 0,
      refunds: [],
    });
  }

  static restore(props: PaymentProps): Payment {
    return new Payment({ ...props, refunds: props.refunds.map((r) => Refund.restore(r)) });
  }

  // ---- reading ------------------------------------------------------------------------------

  get id(): string {
    return this.props.id;
  }
  get orderId(): string {
    return this.props.orderId;
  }
  get provider(): string {
    return this.props.provider;
  }
  get status(): PaymentStatus {
    return this.props.status;
  }
  get amount(): number {
    return this.props.amount;
  }
  get currency(): string {
    return this.props.currency;
  }
  get token(): string {
    return this.props.token;
  }
  get brand(): string | null {
    return this.props.brand;
  }
  get last4(): string | null {
    return this.props.last4;
  }
  get authorized(): number {
    return this.props.authorized;
  }
  get captured(): number {
    return this.props.captured;
  }
  get refunded(): number {
    return this.props.refunded;
  }
  get providerRef(): string | null {
    return this.props.providerRef;
  }
  get failureReason(): string | null {
    return this.props.failureReason;
  }
  get cancelReason(): string | null {
    return this.props.cancelReason;
  }
  get version(): number {
    return this.props.version;
  }
  get captureRequestedAt(): Date | null {
    return this.props.captureRequestedAt;
  }
  /** a capture was asked for and is still to be made at the provider */
  get captureDue(): boolean {
    return (
      this.props.status === 'AUTHORIZED' &&
      this.props.captureRequestedAt !== null &&
      this.props.captured === 0
    );
  }
  /** its refunds as they stand (copies: a refund moves only through its payment) */
  get refunds(): readonly RefundProps[] {
    return this.props.refunds.map((r) => r.snapshot());
  }
  /** the refund with this id (in any letter case), or null */
  refundById(id: string): RefundProps | null {
    const wanted = id.toLowerCase();
    return this.props.refunds.find((r) => r.id === wanted)?.snapshot() ?? null;
  }
  /** nothing captured yet, and a capture may still come (authorization pending, or authorized) */
  get awaitingCapture(): boolean {
    return (
      this.props.captured === 0 && (this.props.status === 'PENDING' || this.props.status === 'AUTHORIZED')
    );
  }
  /** the refunds whose amounts are reserved and whose provider calls are due */
  get pendingRefunds(): RefundProps[] {
    return this.props.refunds.filter((r) => r.pending).map((r) => r.snapshot());
  }
  /** captured − refunded − what refunds in flight have reserved */
  get refundable(): number {
    const reserved = this.pendingRefunds.reduce((sum, r) => sum + r.amount, 0);
    return Math.max(0, this.props.captured - this.props.refunded - reserved);
  }
  /**
   * What a new refund may still reserve: `refundable` while CAPTURED or PARTIALLY_REFUNDED; 0 otherwise
   * (nothing captured, or a cancellation under way, which refunds all that remains itself).
   */
  get refundableOnRequest(): number {
    return REFUNDABLE.includes(this.props.status) ? this.refundable : 0;
  }
  /** provider calls are due: a capture asked for, a void (or the refund of a cancelled capture), or reserved refunds */
  get needsSettlement(): boolean {
    return this.props.status === 'VOID_PENDING' || this.pendingRefunds.length > 0 || this.captureDue;
  }

  /** The idempotency keys of its provider calls: derived from the payment, so a retry reuses them. */
  get authorizeKey(): string {
    return `${this.props.id}:authorize`;
  }
  get captureKey(): string {
    return `${this.props.id}:capture`;
  }
  get voidKey(): string {
    return `${this.props.id}:void`;
  }

  snapshot(): Readonly<PaymentProps> {
    return { ...this.props, refunds: this.props.refunds.map((r) => r.snapshot()) };
  }

  /** The ledger rows appended and the refunds changed since the last call (the repository writes them). */
  takeChanges(): { ledger: LedgerEntry[]; refunds: RefundProps[] } {
    const ledger = this.ledger.take();
    const refunds = this.props.refunds.filter((r) => this.changedRefunds.has(r.id)).map((r) => r.snapshot());
    this.changedRefunds.clear();
    return { ledger, refunds };
  }

  /** Called by the repository after a save. */
  saved(): void {
    this.props.version += 1;
  }

  // ---- authorization ------------------------------------------------------------------------

  /**
   * The provider authorized. PENDING → AUTHORIZED. A payment cancelled meanwhile (VOID_PENDING, or
   * VOIDED once settled) keeps the authorization for its void and stays (or is again) VOID_PENDING.
   * The same authorization again changes nothing (false).
   */
  recordAuthorized(r: {
    reference: string;
    amount: number;
    brand: string;
    last4: string;
    at: Date;
    entryId?: string;
  }): boolean {
    if (this.props.providerRef === r.reference) return false;
    if (!LAST4.test(r.last4)) throw new Error('a provider answered last4 that is not four digits');
    if (!(r.amount > 0 && r.amount <= this.props.amount)) {
      throw new Error(`a provider authorized ${r.amount} of a payment of ${this.props.amount}`);
    }
    const { status } = this.props;
    if (this.props.providerRef !== null && status !== 'PENDING') {
      throw new ConflictError('The payment is already authorized under another provider reference');
    }
    if (status === 'PENDING') this.move('AUTHORIZED');
    else if (status === 'VOIDED') this.move('VOID_PENDING');
    else if (status !== 'VOID_PENDING') paymentStates.transition(status, 'AUTHORIZED'); // throws
    Object.assign(this.props, {
      providerRef: r.reference,
      authorized: r.amount,
      brand: r.brand.slice(0, 32),
      last4: r.last4,
    });
    this.log('authorize', this.authorizeKey, r.amount, 'succeeded', r.at, {
      providerRef: r.reference,
      id: r.entryId,
    });
    this.emit('PaymentAuthorized', r.amount, r.at);
    return true;
  }

  /**
   * The provider declined. PENDING (or VOID_PENDING with nothing authorized) → FAILED with
   * `PaymentFailed`. A failed payment again changes nothing (false); a payment already settled as
   * cancelled only gets the ledger row.
   */
  recordDeclined(reason: string, at: Date, entryId?: string): boolean {
    const { status } = this.props;
    if (status === 'FAILED') return false;
    if (status === 'VOIDED' && this.props.providerRef === null) {
      this.log('authorize', this.authorizeKey, this.props.amount, 'declined', at, { reason, id: entryId });
      return true;
    }
    if (status === 'VOID_PENDING' && this.props.providerRef !== null) {
      throw new ConflictError('An authorized payment cannot be declined');
    }
    this.move('FAILED');
    this.props.failureReason = reason;
    this.log('authorize', this.authorizeKey, this.props.amount, 'declined', at, { reason, id: entryId });
    this.emit('PaymentFailed', this.props.amount, at, reason);
    return true;
  }

  /** The provider could not be reached (timeout, 5xx, breaker open): a ledger row, no change of status. */
  recordUnavailable(
    kind: OperationKind,
    key: string,
    amount: number,
    reason: string,
    at: Date,
    entryId?: string,
  ) {
    this.log(kind, key, amount, 'unavailable', at, { reason, id: entryId });
  }

  /** A provider rule refused the call (a capture above the authorization, a void after capture, …): a ledger row. */
  recordRejected(
    kind: Exclude<OperationKind, 'authorize'>,
    key: string,
    amount: number,
    reason: string,
    at: Date,
  ) {
    this.log(kind, key, amount, 'rejected', at, { reason });
  }

  // ---- cancellation and void ----------------------------------------------------------------

  /**
   * The order was cancelled. PENDING or AUTHORIZED → VOID_PENDING (the void is made after the
   * transaction); CAPTURED or PARTIALLY_REFUNDED → VOID_PENDING with a refund of what remains reserved.
   * Already cancelled, failed, voided or refunded: nothing (false).
   */
  cancel(reason: string, at: Date): boolean {
    const { status } = this.props;
    if (status !== 'PENDING' && status !== 'AUTHORIZED' && !REFUNDABLE.includes(status)) return false;
    this.move('VOID_PENDING');
    this.props.cancelReason = reason;
    this.props.updatedAt = at;
    if (REFUNDABLE.includes(status)) this.reserveRemainder(at);
    return true;
  }

  /**
   * The provider voided the authorization (`reference` null: the provider holds no authorization of
   * this payment, so there was nothing to void). VOID_PENDING (nothing captured) or, announced by the
   * provider, AUTHORIZED → VOIDED with `PaymentVoided`. Already voided: false.
   */
  recordVoided(r: { reference: string | null; at: Date; source: OperationSource; key?: string }): boolean {
    const { status } = this.props;
    if (status === 'VOIDED') return false;
    if (status === 'VOID_PENDING' && this.props.captured > 0) {
      throw new ConflictError('A captured payment is refunded, not voided');
    }
    if (status === 'AUTHORIZED' && r.source !== 'provider') {
      throw new ConflictError('An authorized payment is cancelled before it is voided');
    }
    this.move('VOIDED');
    const amount = r.reference === null ? 0 : this.props.authorized;
    const reason =
      r.reference === null
        ? 'no authorization at the provider'
        : (this.props.cancelReason ?? (r.source === 'provider' ? 'voided at the provider' : 'voided'));
    this.log('void', r.key ?? this.voidKey, amount, 'succeeded', r.at, {
      providerRef: r.reference,
      reason: r.reference === null ? reason : null,
      source: r.source,
    });
    this.emit('PaymentVoided', amount, r.at, this.props.cancelReason ?? reason);
    return true;
  }

  // ---- capture ------------------------------------------------------------------------------

  /**
   * The order's first shipment was dispatched: the capture of the authorized amount is due (made at the
   * provider after the transaction, retried until it succeeds). AUTHORIZED only; asked before, or
   * captured already: nothing (false). Any other status → IllegalStateTransitionError (409): a
   * cancelled, failed or never-authorized payment has nothing to capture.
   */
  requestCapture(at: Date): boolean {
    if (this.props.captured > 0) return false;
    if (this.props.status !== 'AUTHORIZED') {
      throw new IllegalStateTransitionError('Payment', this.props.status, 'CAPTURED');
    }
    if (this.props.captureRequestedAt !== null) return false;
    this.props.captureRequestedAt = at;
    this.props.updatedAt = at;
    return true;
  }

  /**
   * A capture attempt did not go through (`unavailable`: timeout, 5xx, breaker open; `rejected`: a
   * provider rule refused it): a ledger row and `PaymentCaptureFailed` (the order's history shows it);
   * the capture stays due and is tried again.
   */
  recordCaptureFailed(outcome: 'unavailable' | 'rejected', reason: string, at: Date): void {
    this.log('capture', this.captureKey, this.props.authorized, outcome, at, { reason });
    this.emit('PaymentCaptureFailed', this.props.authorized, at, `${outcome}: ${reason}`);
  }

  /**
   * The provider captured `amount`. AUTHORIZED → CAPTURED with `PaymentCaptured`. A payment cancelled
   * before the capture was known (VOID_PENDING) records it and reserves its refund in full. Already
   * captured: false.
   */
  recordCaptured(r: {
    reference: string;
    amount: number;
    at: Date;
    source: OperationSource;
    key?: string;
  }): boolean {
    const { status } = this.props;
    if (this.props.captured > 0) return false;
    const cancelled = status === 'VOID_PENDING' && this.props.providerRef !== null;
    if (status !== 'AUTHORIZED' && !cancelled) paymentStates.transition(status, 'CAPTURED'); // throws
    if (!(r.amount > 0 && r.amount <= this.props.authorized)) {
      throw new ConflictError(`A capture of ${r.amount} exceeds the authorized ${this.props.authorized}`);
    }
    if (status === 'AUTHORIZED') this.move('CAPTURED');
    this.props.captured = r.amount;
    this.props.captureRef = r.reference;
    this.log('capture', r.key ?? this.captureKey, r.amount, 'succeeded', r.at, {
      providerRef: r.reference,
      source: r.source,
    });
    this.emit('PaymentCaptured', r.amount, r.at);
    if (this.props.status === 'VOID_PENDING') this.reserveRemainder(r.at);
    return true;
  }

  // ---- refunds ------------------------------------------------------------------------------

  /**
   * Reserves a refund of `amount` (all that remains when omitted): CAPTURED or PARTIALLY_REFUNDED,
   * and at most captured − refunded − what other refunds in flight reserved. The provider is asked
   * after the transaction, with the refund's id as the idempotency key: `id` when given (a UUID the
   * caller chose, so it can follow the refund, kept in lower case as Postgres gives it back; 400
   * otherwise, 409 CONFLICT when this payment has a refund with that id already), else a new one.
   */
  requestRefund(r: {
    id?: string | undefined;
    amount?: number | undefined;
    reason: string;
    at: Date;
  }): RefundProps {
    const errors: FieldError[] = [];
    if (r.id !== undefined && !isUuid(r.id)) errors.push({ path: 'refundId', message: 'must be a UUID' });
    if (r.amount !== undefined) {
      const invalid = positiveAmount(r.amount, 'amount');
      if (invalid) errors.push(invalid);
    }
    if (errors.length > 0) throw new ValidationError('The refund is invalid; see errors', errors);
    const id = r.id?.toLowerCase();
    if (id !== undefined && this.refundById(id)) {
      throw new ConflictError(`The payment has a refund ${id} already`);
    }
    if (!REFUNDABLE.includes(this.props.status)) {
      throw new NothingToRefundError(
        this.props.status === 'VOID_PENDING'
          ? 'it is being cancelled (its refund is under way)'
          : `nothing captured (status ${this.props.status})`,
      );
    }
    const refundable = this.refundable;
    if (r.amount === undefined && refundable === 0) {
      throw new NothingToRefundError('everything captured is refunded or being refunded');
    }
    const amount = r.amount ?? refundable;
    if (amount > refundable) throw new RefundExceedsRefundableError(amount, refundable);
    return this.reserve(amount, r.reason, r.at, id);
  }

  /**
   * The provider refunded a reserved refund (a released one too: a call the provider answered late is
   * still money returned). Amounts, status and `PaymentRefunded` naming the refund (`refundId`).
   * Already recorded: false.
   */
  recordRefunded(refundId: string, reference: string, at: Date): boolean {
    const refund = this.refundOf(refundId);
    if (refund.succeeded) return false;
    if (this.props.refunded + refund.amount > this.props.captured) {
      throw new ConflictError('The refund exceeds what was captured');
    }
    refund.succeed(reference, at);
    this.changedRefunds.add(refund.id);
    this.props.refunded += refund.amount;
    this.log('refund', refund.id, refund.amount, 'succeeded', at, { providerRef: reference });
    this.emit('PaymentRefunded', refund.amount, at, refund.reason, refund.id);
    this.afterRefund();
    return true;
  }

  /**
   * A refund call failed. `release` (a rejection, or the caller gave up on an unavailable provider):
   * the reservation is released and nothing was refunded; else it stays pending for a later attempt.
   */
  recordRefundFailed(
    refundId: string,
    outcome: 'rejected' | 'unavailable',
    reason: string,
    at: Date,
    release: boolean,
  ): boolean {
    const refund = this.refundOf(refundId);
    if (!refund.pending) return false;
    if (release) {
      refund.release(at);
      this.changedRefunds.add(refund.id);
    }
    this.log('refund', refund.id, refund.amount, outcome, at, { reason });
    return true;
  }

  /**
   * A refund the provider announced (made on its side, or one of ours whose answer was lost). One of
   * ours (`merchantReference`) is completed; one already known by its reference changes nothing;
   * otherwise it is recorded as the provider's, within what was captured.
   */
  recordProviderRefund(r: {
    reference: string;
    amount: number;
    reason: string | null;
    merchantReference: string | null;
    at: Date;
    key: string;
  }): boolean {
    if (this.props.refunds.some((x) => x.providerRef === r.reference)) return false;
    const ours = r.merchantReference
      ? this.props.refunds.find((x) => x.id === r.merchantReference)
      : undefined;
    if (ours && ours.amount === r.amount) return this.recordRefunded(ours.id, r.reference, r.at);
    if (this.props.captured === 0 || this.props.refunded + r.amount > this.props.captured) {
      throw new ConflictError(
        `The provider announced a refund of ${r.amount}; captured ${this.props.captured}, refunded ${this.props.refunded}`,
      );
    }
    const refund = Refund.announced({
      amount: r.amount,
      reason: r.reason ?? 'refunded at the provider',
      reference: r.reference,
      at: r.at,
    });
    this.props.refunds.push(refund);
    this.changedRefunds.add(refund.id);
    this.props.refunded += r.amount;
    this.log('refund', r.key, r.amount, 'succeeded', r.at, { providerRef: r.reference, source: 'provider' });
    this.emit('PaymentRefunded', r.amount, r.at, refund.reason);
    this.afterRefund();
    return true;
  }

  /**
   * A cancelled capture (VOID_PENDING with money captured) with no refund in flight: reserves the
   * refund of what remains, or, when everything is refunded, closes it as REFUNDED. The refund made
   * for it; null when there is nothing to do.
   */
  continueCancellationRefund(at: Date): RefundProps | null {
    if (this.props.status !== 'VOID_PENDING' || this.props.captured === 0) return null;
    if (this.pendingRefunds.length > 0) return null;
    if (this.props.refunded >= this.props.captured) {
      this.move('REFUNDED');
      return null;
    }
    return this.reserveRemainder(at);
  }

  // ---- internals ----------------------------------------------------------------------------

  private reserveRemainder(at: Date): RefundProps | null {
    const refundable = this.refundable;
    if (refundable === 0) return null;
    return this.reserve(refundable, this.props.cancelReason ?? 'order cancelled', at);
  }

  private reserve(amount: number, reason: string, at: Date, id?: string): RefundProps {
    const refund = Refund.reserve({ id, amount, reason, at });
    this.props.refunds.push(refund);
    this.changedRefunds.add(refund.id);
    this.props.updatedAt = at;
    return refund.snapshot();
  }

  private afterRefund(): void {
    const { status, refunded, captured } = this.props;
    if (refunded === captured) {
      if (status !== 'REFUNDED') this.move('REFUNDED');
    } else if (status === 'CAPTURED') {
      this.move('PARTIALLY_REFUNDED');
    }
  }

  private refundOf(id: string): Refund {
    const refund = this.props.refunds.find((r) => r.id === id);
    if (!refund) throw new Error(`payment ${this.props.id} has no refund ${id}`);
    return refund;
  }

  private move(to: PaymentStatus): void {
    this.props.status = paymentStates.transition(this.props.status, to);
  }

  private log(
    kind: OperationKind,
    idempotencyKey: string,
    amount: number,
    outcome: OperationOutcome,
    at: Date,
    details: LedgerDetails,
  ): void {
    this.ledger.append(kind, idempotencyKey, amount, outcome, at, details);
    this.props.updatedAt = at;
  }

  private emit(name: PaymentEventName, amount: number, at: Date, reason?: string, refundId?: string): void {
    const event: PaymentDomainEvent = {
      name,
      aggregateId: this.props.id,
      occurredAt: at,
      orderId: this.props.orderId,
      amount,
      currency: this.props.currency,
      ...(reason ? { reason } : {}),
      ...(refundId ? { refundId } : {}),
    };
    this.record(event);
  }
}
