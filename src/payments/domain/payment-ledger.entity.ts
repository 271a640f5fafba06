import { newId } from '../../platform/ids.js';

export type OperationKind = 'authorize' | 'capture' | 'void' | 'refund';
/** succeeded; declined (authorization refused); rejected (a provider rule refused it); unavailable (timeout, 5xx, breaker open) */
export type OperationOutcome = 'succeeded' | 'declined' | 'rejected' | 'unavailable';
/** `shopcore`: a call this process made; `provider`: something the provider announced (webhook) */
export type OperationSource = 'shopcore' | 'provider';

/** One row of the ledger of provider operations: every call made and every fact the provider announced. */
export interface LedgerEntry {
  readonly id: string;
  readonly paymentId: string;
  readonly kind: OperationKind;
  /** the key the call carried (`<paymentId>:authorize`, a refund's id, `webhook:<event id>`) */
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly outcome: OperationOutcome;
  readonly providerRef: string | null;
  readonly reason: string | null;
  readonly source: OperationSource;
  readonly at: Date;
}

/** What a ledger row may say besides its kind, key, amount and outcome. */
export interface LedgerDetails {
  providerRef?: string | null;
  reason?: string | null;
  source?: OperationSource;
  /** the row's id (an attempt id, so that recording the same attempt again keeps one row); new by default */
  id?: string | undefined;
}

/**
 * The ledger of one payment's provider operations: append-only (a row written is never changed).
 * The payment appends a row for every call made and every fact the provider announced; the
 * repository writes the rows appended since it last took them.
 */
export class PaymentLedger {
  private appended: LedgerEntry[] = [];

  constructor(private readonly paymentId: string) {}

  append(
    kind: OperationKind,
    idempotencyKey: string,
    amount: number,
    outcome: OperationOutcome,
    at: Date,
    details: LedgerDetails = {},
  ): LedgerEntry {
    const entry: LedgerEntry = {
      id: details.id ?? newId(),
      paymentId: this.paymentId,
      kind,
      idempotencyKey,
      amount,
      outcome,
      providerRef: details.providerRef ?? null,
      reason: details.reason ?? null,
      source: details.source ?? 'shopcore',
      at,
    };
    this.appended.push(entry);
    return entry;
  }

  /** The rows appended since the last call (the repository writes them). */
  take(): LedgerEntry[] {
    const rows = this.appended;
    this.appended = [];
    return rows;
  }
}
