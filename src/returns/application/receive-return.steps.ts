import type { NewOrder, NewOrderLine, OrderSnapshot } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { SagaStep } from '../../platform/domain/saga.js';
import { newId } from '../../platform/ids.js';
import type { ReceiptLine, Return, ReturnActor } from '../domain/return.aggregate.js';
import { type ExchangeValuation, receiptRefund } from '../domain/return-refund.policy.js';
import { receivedUnits } from '../domain/return-request.policy.js';
import {
  ReplacementImpossibleError,
  ReplacementOutOfStockError,
  ReturnOrderNotFoundError,
} from '../domain/returns.errors.js';
import type { MoveScope, ReturnMoves } from './return-moves.service.js';
import type { RefundAttempt, ReturnRefunds } from './return-refunds.service.js';
import type { ReturnsDeps } from './returns.deps.js';

/** What `POST /api/v1/admin/returns/:id/receive` asks for. */
export interface ReceiptRequest {
  warehouseId: string;
  lines: ReceiptLine[];
}

/** What the receipt's steps learn as they run, in order. */
export interface Receipt {
  returnId: string;
  request: ReceiptRequest;
  actor: ReturnActor;
  now: Date;
  scope: MoveScope;
  ret?: Return;
  order?: OrderSnapshot;
  /** received units per SKU */
  received?: Map<string, number>;
  /** an exchange's products and list prices */
  valuation?: ExchangeValuation;
  /** product names of the exchange SKUs (the replacement's lines) */
  names?: Map<string, string>;
  /** the exchange's replacement order */
  replacementId?: string;
  /** what asking for the refund came to; absent when nothing was owed */
  refund?: RefundAttempt;
}

/** Nothing to undo: every step runs in the receipt's one transaction, which rolls back whole. */
export type ReceiptUndo = Record<string, never>;

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`receipt step ran before ${what} was known`);
  return value;
};

const nothing = async () => {};

/**
 * The receipt of a return (docs/returns.md "Receipt"), as saga steps that all run in ONE transaction —
 * locks taken in the house's order: the return, the order, stock, the payment. A step that throws
 * rolls the whole receipt back (nothing restocked, no replacement, no refund), so the compensations
 * have nothing to undo. The replacement comes before the refund so that stock is locked before the
 * payment, as everywhere else.
 */
export const receiveReturnSteps = (
  deps: ReturnsDeps,
  moves: ReturnMoves,
  refunds: ReturnRefunds,
): SagaStep<Receipt, ReceiptUndo, TransactionHandle>[] => [
  {
    name: 'record the receipt',
    // APPROVED → RECEIVED, 409 ILLEGAL_STATE_TRANSITION from any other status (one of many concurrent
    // receipts wins); then what it refunds, from the order as paid and the order's earlier receipts
    invoke: async (r, tx) => {
      const ret = await moves.lock(r.scope, r.returnId);
      const order = await deps.orders.get(ret.orderId, tx);
      if (!order) throw new ReturnOrderNotFoundError();
      const received = ret.receive(r.request, r.actor, r.now);
      const s = ret.snapshot();
      let valuation: ExchangeValuation | undefined;
      if (ret.isExchange) {
        const skus = [...new Set([...s.lines.map((l) => l.sku), ...s.exchange.map((e) => e.sku)])];
        const variants = await deps.catalog.findVariants(skus, tx);
        const prices = await deps.pricing.pricesFor(
          s.exchange.map((e) => e.sku),
          tx,
        );
        const listPrice = new Map(
          [...prices].filter(([, m]) => m.currency === order.currency).map(([sku, m]) => [sku, m.amount]),
        );
        const unpriced = s.exchange.filter((e) => !listPrice.has(e.sku)).map((e) => e.sku);
        if (unpriced.length > 0) {
          throw new ReplacementImpossibleError(`No list price any more for ${unpriced.join(', ')}`);
        }
        valuation = {
          lines: s.exchange,
          productOf: new Map(variants.map((v) => [v.sku, v.productId])),
          listPrice,
        };
        r.valuation = valuation;
        r.names = new Map(variants.map((v) => [v.sku, v.productName]));
      }
      const earlier = (await r.scope.repos.returns.ofOrder(ret.orderId)).filter((o) => o.id !== ret.id);
      const refund = receiptRefund({
        order,
        previouslyReceived: receivedUnits(earlier.map((o) => o.snapshot())),
        received,
        exchange: valuation ?? null,
      });
      ret.oweRefund(refund.amount);
      Object.assign(r, { ret, order, received });
    },
    compensate: nothing,
  },
  {
    name: 'restock',
    // resellable units back on hand, damaged ones written off (404 for an unknown warehouse)
    invoke: async (r, tx) => {
      const ret = need(r.ret, 'the return');
      await deps.inventory.receiveReturn(
        {
          returnId: ret.id,
          warehouseId: r.request.warehouseId,
          lines: r.request.lines
            .filter((l) => l.quantity > 0)
            .map((l) => ({ sku: l.sku, quantity: l.quantity, condition: l.condition })),
        },
        tx,
      );
    },
    compensate: nothing,
  },
  {
    name: 'replacement',
    // an exchange: a new order for the exchange SKUs at no charge, reserved (short → 409 OUT_OF_STOCK,
    // the whole receipt rolls back) and confirmed without a payment; fulfilment ships it like any order
    invoke: async (r, tx) => {
      const ret = need(r.ret, 'the return');
      if (!ret.isExchange) return;
      const order = need(r.order, 'the order');
      const valuation = need(r.valuation, 'the exchange prices');
      const names = r.names ?? new Map<string, string>();
      if (order.email === null || order.shippingAddress === null) {
        throw new ReplacementImpossibleError(
          `Order ${order.number} has no email or shipping address any more (erased): no replacement can be shipped`,
        );
      }
      const merged = new Map<string, number>();
      for (const e of valuation.lines) merged.set(e.sku, (merged.get(e.sku) ?? 0) + e.quantity);
      const lines: NewOrderLine[] = [...merged].map(([sku, quantity]) => {
        const unitPrice = valuation.listPrice.get(sku)!;
        const subtotal = unitPrice * quantity;
        return {
          sku,
          name: names.get(sku) ?? sku,
          quantity,
          unitPrice,
          subtotal,
          discount: subtotal,
          lineTotal: 0,
          tax: 0,
        };
      });
      const subtotal = lines.reduce((a, l) => a + l.subtotal, 0);
      const replacement: NewOrder = {
        id: newId(),
        cartId: ret.id,
        customerId: order.customerId,
        email: order.email,
        currency: order.currency,
        taxMode: order.taxMode,
        lines,
        subtotal,
        discount: subtotal,
        shipping: 0,
        tax: 0,
        total: 0,
        promotionCode: null,
        shippingAddress: order.shippingAddress,
        shippingOption: order.shippingOption,
      };
      const system = { kind: 'system' as const };
      await deps.orders.place(replacement, system, tx);
      const reserved = await deps.inventory.reserve(
        replacement.id,
        lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        tx,
      );
      if (!reserved.ok) throw new ReplacementOutOfStockError(reserved.shortSkus);
      await deps.inventory.confirm(replacement.id, tx);
      await deps.orders.transition(
        replacement.id,
        ['PAYMENT_AUTHORIZED', 'CONFIRMED'],
        { actor: system, reason: `replacement for return ${ret.number}: no payment` },
        tx,
      );
      r.replacementId = replacement.id;
    },
    compensate: nothing,
  },
  {
    name: 'refund',
    // what the receipt owes (an exchange: the difference, if any) is reserved now and made after commit
    invoke: async (r, tx) => {
      const ret = need(r.ret, 'the return');
      if ((ret.refundDue ?? 0) > 0) r.refund = await refunds.request(ret, tx, r.now);
      else if (!ret.isExchange) ret.refunded(0, r.now, 'nothing to refund');
    },
    compensate: nothing,
  },
  {
    name: 'exchanged',
    invoke: async (r) => {
      const ret = need(r.ret, 'the return');
      if (ret.isExchange) ret.exchanged(need(r.replacementId, 'the replacement'), r.now);
    },
    compensate: nothing,
  },
];
