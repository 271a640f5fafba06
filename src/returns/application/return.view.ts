import type { Money } from '../../platform/money.js';
import type { LineCondition, Return } from '../domain/return.aggregate.js';
import type { ReturnReason, ReturnStatus } from '../domain/return.lifecycle.js';

/** A return as docs/product/api.md "Returns" shows it (customers and staff), JSON-ready. */
export interface ReturnView {
  id: string;
  orderId: string;
  number: string;
  status: ReturnStatus;
  lines: {
    sku: string;
    quantity: number;
    reason: ReturnReason;
    received: number;
    condition: LineCondition | null;
  }[];
  exchange: { sku: string; quantity: number }[];
  refund: Money | null;
  replacementOrderId: string | null;
  note: string | null;
  warehouseId: string | null;
  history: { status: ReturnStatus; at: string; reason: string | null }[];
  createdAt: string;
  updatedAt: string;
}

export const toReturnView = (ret: Return): ReturnView => {
  const s = ret.snapshot();
  return {
    id: s.id,
    orderId: s.orderId,
    number: s.number,
    status: s.status,
    lines: s.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      received: l.received,
      condition: l.condition,
    })),
    exchange: s.exchange.map((e) => ({ sku: e.sku, quantity: e.quantity })),
    refund: s.refund ? { amount: s.refund.amount, currency: s.refund.currency } : null,
    replacementOrderId: s.replacementOrderId,
    note: s.note,
    warehouseId: s.warehouseId,
    history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
};
