import type { OrderSnapshot } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import { Return } from '../domain/return.aggregate.js';
import type { ExchangeLine, RequestedLine } from '../domain/return-request.policy.js';
import { ReturnOrderNotFoundError } from '../domain/returns.errors.js';
import { type ReturnView, toReturnView } from './return.view.js';
import { actorOf, mayAct, type ReturnCaller } from './return-access.policy.js';
import { reasonOf } from './return-moves.service.js';
import type { ReturnsDeps } from './returns.deps.js';

export interface ReturnRequest {
  lines: RequestedLine[];
  exchange?: ExchangeLine[];
  note?: string | null;
}

/**
 * `POST /api/v1/orders/:id/returns` (owner, or a guest order's email): a new return, REQUESTED, with
 * `ReturnRequested`. One transaction that locks the ORDER row first (orders.get with the handle), then
 * counts what is delivered (fulfilment) and claimed (the order's other returns) and inserts — so
 * concurrent requests of one order, on any number of instances, queue on that row and never claim more
 * units than were delivered (409 CONFLICT for the rest). The rules themselves are the domain's
 * (return-request.policy.ts via Return.create). Not the caller's order: 404, as for an unknown one.
 *
 * A request that cannot succeed is refused before it queues on the order's lock: the same rules are
 * checked first on what is committed (reads on the pool, before the transaction — never while holding
 * a connection), so 100 callers racing for 3 units do not hold 100 connections in line for one row.
 * Only a request that passes is checked again, under the lock, and inserted — and, in this process,
 * queues in memory per order before it takes a connection (`serial`), so the ones that pass use one
 * pooled connection at a time rather than all of them plus a pool queue that times out.
 */
export class RequestReturn {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(orderId: string, caller: ReturnCaller, request: ReturnRequest): Promise<ReturnView> {
    const { deps } = this;
    const seen = await deps.orders.get(orderId);
    if (!seen || !mayAct(seen, caller)) throw new ReturnOrderNotFoundError();
    const others = await deps.read.run(({ repos }) => repos.returns.ofOrder(orderId));
    await this.build(seen, others, caller, request); // throws what the locked check would throw now
    return deps.serial.run(`order:${orderId}`, () => this.inTransaction(orderId, caller, request));
  }

  private inTransaction(orderId: string, caller: ReturnCaller, request: ReturnRequest): Promise<ReturnView> {
    const { deps } = this;
    return deps.uow.run(async ({ repos, tx, track }) => {
      const order = await deps.orders.get(orderId, tx); // locked until commit: requests of this order queue here
      if (!order || !mayAct(order, caller)) throw new ReturnOrderNotFoundError();
      const ret = await this.build(order, await repos.returns.ofOrder(orderId), caller, request, tx);
      await repos.returns.insert(track(ret));
      deps.count('REQUESTED', reasonOf(ret), tx);
      return toReturnView(ret);
    });
  }

  /** The new return against the order, its shipments and its other returns (read on `tx` when given). */
  private async build(
    order: OrderSnapshot,
    others: readonly Return[],
    caller: ReturnCaller,
    request: ReturnRequest,
    tx?: TransactionHandle,
  ): Promise<Return> {
    const { deps } = this;
    const exchange = request.exchange ?? [];
    const shipments = await deps.fulfilment.shipmentsOf([order.id], tx);
    let variants = new Map<string, { productId: string; status: string }>();
    let prices = new Map<string, number>();
    if (exchange.length > 0) {
      const skus = [...new Set([...request.lines.map((l) => l.sku), ...exchange.map((e) => e.sku)])];
      const found = await deps.catalog.findVariants(skus, tx);
      variants = new Map(found.map((v) => [v.sku, { productId: v.productId, status: v.status }]));
      const listed = await deps.pricing.pricesFor(
        exchange.map((e) => e.sku),
        tx,
      );
      prices = new Map(
        [...listed].filter(([, m]) => m.currency === order.currency).map(([sku, m]) => [sku, m.amount]),
      );
    }
    return Return.create(
      {
        id: newId(),
        order,
        seq: others.reduce((max, r) => Math.max(max, r.snapshot().seq), 0) + 1,
        lines: request.lines,
        exchange,
        note: request.note ?? null,
        actor: actorOf(caller),
      },
      {
        shipments: shipments.get(order.id) ?? [],
        otherReturns: others.map((r) => r.snapshot()),
        now: deps.clock.now(),
        windowDays: deps.windowDays,
        variants,
        prices,
      },
    );
  }
}
