import type { CatalogVariantInfo } from '../../../src/catalog/contract.js';
import type { ShipmentSummary } from '../../../src/fulfilment/contract.js';
import type {
  ReservationLine,
  ReservationResult,
  ReturnReceipt,
  ReturnReceiptResult,
} from '../../../src/inventory/contract.js';
import type { NewOrder } from '../../../src/orders/contract.js';
import type { RefundRequest, RefundView } from '../../../src/payments/contract.js';
import { KeyedSerializer } from '../../../src/platform/db/keyed-serializer.js';
import { NotFoundError } from '../../../src/platform/errors.js';
import type { Money } from '../../../src/platform/money.js';
import { CompleteReturnRefund } from '../../../src/returns/application/complete-return-refund.use-case.js';
import type { ReturnsRepos } from '../../../src/returns/application/return.repository.js';
import { ReturnMoves } from '../../../src/returns/application/return-moves.service.js';
import { ReturnRefunds } from '../../../src/returns/application/return-refunds.service.js';
import type { ReturnsDeps } from '../../../src/returns/application/returns.deps.js';
import { returnEventMapper } from '../../../src/returns/application/returns-event.mapper.js';
import type { ReturnStatus } from '../../../src/returns/domain/return.lifecycle.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import { callerTx, type InMemoryOrders, inMemoryOrders, placed } from './orders.deps.js';
import { type InMemoryReturnRepository, inMemoryReturnsRepos } from './returns.repositories.js';

export const WAREHOUSE = '0a0a0a0a-0000-4000-8000-00000000000a';
export const CUSTOMER = '5c0ffee0-0000-4000-8000-000000000001';
export const STAFF = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };
export const DAY = 24 * 60 * 60 * 1000;

/**
 * Payments as returns sees it, scripted: `requestRefund` answers `next` (default: reserved, capped at
 * `refundable`), `settle` makes every pending refund succeed unless `down`, `refuse` releases them.
 */
export class ScriptedPayments {
  readonly refunds = new Map<string, RefundView>();
  readonly asked: { orderId: string; refundId: string; amount: number; reason: string }[] = [];
  readonly settled: string[] = [];
  next: RefundRequest['outcome'] | null = null;
  /** what may still be refunded per order (default: unlimited) */
  refundable = new Map<string, number>();
  down = false;
  /** settle() refuses (releases) instead of succeeding, with this failure */
  refuse: string | null = null;

  async requestRefund(
    orderId: string,
    input: { refundId: string; amount: number; reason: string },
  ): Promise<RefundRequest> {
    this.asked.push({ orderId, ...input });
    const existing = this.refunds.get(input.refundId);
    if (existing) return { outcome: 'reserved', refund: existing };
    const outcome = this.next ?? 'reserved';
    if (outcome === 'nothing_refundable') return { outcome };
    if (outcome === 'not_captured') return { outcome };
    const cap = this.refundable.get(orderId) ?? Number.MAX_SAFE_INTEGER;
    const amount = Math.min(cap, input.amount);
    if (amount === 0) return { outcome: 'nothing_refundable' };
    this.refundable.set(orderId, cap - amount);
    const refund: RefundView = {
      id: input.refundId,
      orderId,
      amount: { amount, currency: 'EUR' },
      status: 'pending',
      reason: input.reason,
      failure: null,
    };
    this.refunds.set(input.refundId, refund);
    return { outcome: 'reserved', refund };
  }

  async settle(orderId: string): Promise<null> {
    this.settled.push(orderId);
    if (this.down) throw new Error('provider unavailable');
    for (const [id, r] of this.refunds) {
      if (r.orderId !== orderId || r.status !== 'pending') continue;
      this.refunds.set(
        id,
        this.refuse ? { ...r, status: 'released', failure: this.refuse } : { ...r, status: 'succeeded' },
      );
    }
    return null;
  }

  async refundsOf(ids: readonly string[]): Promise<Map<string, RefundView>> {
    return new Map(ids.flatMap((id) => (this.refunds.has(id) ? [[id, this.refunds.get(id)!] as const] : [])));
  }
}

/** Inventory as returns sees it: receipts recorded, reservations from `stock` (unlimited when absent). */
export class ScriptedInventory {
  readonly receipts: ReturnReceipt[] = [];
  readonly reserved = new Map<string, ReservationLine[]>();
  readonly confirmed: string[] = [];
  readonly stock = new Map<string, number>();
  readonly warehouses = new Set([WAREHOUSE]);

  async receiveReturn(input: ReturnReceipt): Promise<ReturnReceiptResult> {
    if (!this.warehouses.has(input.warehouseId)) throw new NotFoundError('Warehouse');
    this.receipts.push(input);
    const pick = (c: string) =>
      input.lines.filter((l) => l.condition === c).map((l) => ({ sku: l.sku, quantity: l.quantity }));
    return { restocked: pick('resellable'), writtenOff: pick('damaged') };
  }

  async reserve(orderId: string, lines: readonly ReservationLine[]): Promise<ReservationResult> {
    const short = lines.filter((l) => this.stock.has(l.sku) && this.stock.get(l.sku)! < l.quantity);
    if (short.length > 0) return { ok: false, orderId, shortSkus: short.map((l) => l.sku) };
    this.reserved.set(orderId, [...lines]);
    return {
      ok: true,
      orderId,
      lines: lines.map((l) => ({ ...l, warehouseId: WAREHOUSE })),
      expiresAt: new Date(0),
    };
  }

  async confirm(orderId: string): Promise<boolean> {
    this.confirmed.push(orderId);
    return true;
  }
}

export interface InMemoryReturns {
  deps: ReturnsDeps;
  repos: ReturnsRepos & { returns: InMemoryReturnRepository };
  /** the writes' unit of work: its `events` are the outbox */
  uow: InMemoryUnitOfWork<ReturnsRepos>;
  orders: InMemoryOrders;
  /** each order's shipments, as fulfilment would answer them */
  shipments: Map<string, ShipmentSummary[]>;
  variants: Map<string, CatalogVariantInfo>;
  prices: Map<string, Money>;
  payments: ScriptedPayments;
  inventory: ScriptedInventory;
  counted: string[];
  refundedTotal: Money[];
  retried: number[];
  logged: string[];
  moves: ReturnMoves;
  refunds: ReturnRefunds;
  complete: CompleteReturnRefund;
}

/** The returns use cases' deps in memory: orders' real use cases (sharing the clock), the rest scripted. */
export const inMemoryReturns = (windowDays = 30): InMemoryReturns => {
  const repos = inMemoryReturnsRepos();
  const uow = new InMemoryUnitOfWork<ReturnsRepos>(repos, returnEventMapper('eu'));
  const orders = inMemoryOrders();
  const shipments = new Map<string, ShipmentSummary[]>();
  const variants = new Map<string, CatalogVariantInfo>();
  const prices = new Map<string, Money>();
  const payments = new ScriptedPayments();
  const inventory = new ScriptedInventory();
  const counted: string[] = [];
  const refundedTotal: Money[] = [];
  const retried: number[] = [];
  const logged: string[] = [];
  const deps: ReturnsDeps = {
    uow,
    read: new InMemoryUnitOfWork<ReturnsRepos>(repos),
    clock: orders.clock,
    serial: new KeyedSerializer(),
    windowDays,
    orders: orders.facade,
    fulfilment: {
      shipmentsOf: async (ids) =>
        new Map(ids.flatMap((id) => (shipments.has(id) ? [[id, shipments.get(id)!] as const] : []))),
    },
    inventory,
    payments: payments as unknown as ReturnsDeps['payments'],
    catalog: {
      findVariants: async (skus) => skus.flatMap((s) => (variants.has(s) ? [variants.get(s)!] : [])),
    },
    pricing: {
      pricesFor: async (skus) =>
        new Map(skus.flatMap((s) => (prices.has(s) ? [[s, prices.get(s)!] as const] : []))),
    },
    logger: {
      info: (_o, msg) => logged.push(`info: ${msg}`),
      warn: (_o, msg) => logged.push(`warn: ${msg}`),
      error: (_o, msg) => logged.push(`error: ${msg}`),
    },
    count: (status: ReturnStatus, reason: string) => counted.push(`${status}:${reason}`),
    refunded: (amount) => refundedTotal.push(amount),
    retried: () => retried.push(1),
  };
  const moves = new ReturnMoves(deps);
  const refunds = new ReturnRefunds(deps);
  return {
    deps,
    repos,
    uow,
    orders,
    shipments,
    variants,
    prices,
    payments,
    inventory,
    counted,
    refundedTotal,
    retried,
    logged,
    moves,
    refunds,
    complete: new CompleteReturnRefund(deps, moves),
  };
};

/** The customer of the orders `deliveredOrder` places, as a caller. */
export const owner = {
  principal: { userId: CUSTOMER, roles: ['customer' as const], tokenId: 't', expiresAt: new Date(8.64e15) },
};

/**
 * A customer's order (SKU-1 ×2 at 12.50, SKU-2 ×1 at 4.99, shipping 4.95, tax included), moved to
 * DELIVERED (or `status`), with one delivered shipment holding all of it, delivered now; returns its id.
 */
export const deliveredOrder = async (
  f: InMemoryReturns,
  over: Partial<NewOrder> = {},
  opts: { status?: 'SHIPPED' | 'DELIVERED'; shipped?: { sku: string; quantity: number }[] } = {},
): Promise<string> => {
  const moves =
    opts.status === 'SHIPPED'
      ? (['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED'] as const)
      : (['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED', 'DELIVERED'] as const);
  const id = await placed(f.orders, { customerId: CUSTOMER, ...over }, [...moves]);
  const order = (await f.orders.facade.get(id))!;
  f.shipments.set(id, [
    {
      id: crypto.randomUUID(),
      status: 'delivered',
      warehouseId: WAREHOUSE,
      trackingNumber: 'TRK-1',
      lines: opts.shipped ?? order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      deliveredAt: f.orders.clock.now(),
    },
  ]);
  return id;
};

export { callerTx };

/** Returns `lines` (default: one SKU-1 as damaged) of the order as its owner; the return's id. */
export const requestedReturn = async (
  f: InMemoryReturns,
  orderId: string,
  lines: { sku: string; quantity: number }[] = [{ sku: 'SKU-1', quantity: 1 }],
  exchange: { sku: string; quantity: number }[] = [],
): Promise<string> => {
  const { RequestReturn } = await import('../../../src/returns/application/request-return.use-case.js');
  const view = await new RequestReturn(f.deps).execute(orderId, owner, {
    lines: lines.map((l) => ({ ...l, reason: 'damaged' as const })),
    exchange,
  });
  return view.id;
};

/** A requested return, approved by staff. */
export const approvedReturn = async (
  f: InMemoryReturns,
  orderId: string,
  lines?: { sku: string; quantity: number }[],
  exchange?: { sku: string; quantity: number }[],
): Promise<string> => {
  const id = await requestedReturn(f, orderId, lines, exchange);
  const { ApproveReturn } = await import('../../../src/returns/application/approve-return.use-case.js');
  await new ApproveReturn(f.deps, f.moves).execute(id, STAFF);
  return id;
};

/** Empties the outbox, the counts and the logs (after set-up). */
export const quiet = (f: InMemoryReturns): void => {
  f.uow.events.length = 0;
  f.counted.length = 0;
  f.logged.length = 0;
  f.refundedTotal.length = 0;
};
