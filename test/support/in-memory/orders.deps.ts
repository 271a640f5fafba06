import { randomUUID } from 'node:crypto';
import { CreateOrder } from '../../../src/orders/application/create-order.use-case.js';
import { FindOrderIdsInStatus } from '../../../src/orders/application/find-order-ids-in-status.query.js';
import { FindOrderIdsOfCart } from '../../../src/orders/application/find-order-ids-of-cart.query.js';
import { GetOrder } from '../../../src/orders/application/get-order.query.js';
import { GetOrderView } from '../../../src/orders/application/get-order-view.query.js';
import { LockedOrders } from '../../../src/orders/application/locked-orders.cache.js';
import { NoteOrder } from '../../../src/orders/application/note-order.use-case.js';
import type { OrderRepos } from '../../../src/orders/application/order.repository.js';
import { NO_VIEW_SOURCES, OrderReader } from '../../../src/orders/application/order-reader.service.js';
import type { CountedOrderEvent, OrdersDeps } from '../../../src/orders/application/orders.deps.js';
import { orderEventMapper } from '../../../src/orders/application/orders-event.mapper.js';
import { TransitionOrder } from '../../../src/orders/application/transition-order.use-case.js';
import type {
  NewOrder,
  NewOrderLine,
  OrderActor,
  OrdersFacade,
  OrderViewSources,
} from '../../../src/orders/contract.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import { type InMemoryOrderRepository, inMemoryOrderRepos } from './orders.repositories.js';

/** A caller's open transaction, as a saga step or a consumer holds one (opaque, never a connection). */
export const callerTx = (): TransactionHandle => ({ caller: randomUUID() }) as unknown as TransactionHandle;

export interface InMemoryOrders {
  deps: OrdersDeps;
  repos: OrderRepos & { orders: InMemoryOrderRepository };
  /** the writes' unit of work: its `events` are the outbox */
  uow: InMemoryUnitOfWork<OrderRepos>;
  clock: ManualClock;
  /** what the metrics counted, once the caller's transaction "committed" (commit()) */
  counted: CountedOrderEvent[];
  /** runs the after-commit effects registered so far, as the commit of the caller's transaction does */
  commit(): void;
  /** the facade as orders.plugin.ts builds it, over these deps */
  facade: OrdersFacade;
}

/** The orders use cases' deps in memory: region `eu`, a manual clock, no view sources unless given. */
export const inMemoryOrders = (views: Partial<OrderViewSources> = {}): InMemoryOrders => {
  const repos = inMemoryOrderRepos();
  const uow = new InMemoryUnitOfWork<OrderRepos>(repos, orderEventMapper('eu'));
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const counted: CountedOrderEvent[] = [];
  let pending: (() => void)[] = [];
  const deps: OrdersDeps = {
    uow,
    read: new InMemoryUnitOfWork<OrderRepos>(repos),
    clock,
    regionCode: 'eu',
    views: { ...NO_VIEW_SOURCES, ...views },
    afterCommit: (_tx, fn) => {
      pending.push(fn);
    },
    count: (event) => counted.push(event),
    locked: new LockedOrders(() => true),
  };
  const reader = new OrderReader(deps);
  const create = new CreateOrder(deps);
  const transition = new TransitionOrder(deps);
  const note = new NoteOrder(deps);
  const get = new GetOrder(deps, reader);
  const getView = new GetOrderView(reader);
  const idsInStatus = new FindOrderIdsInStatus(deps);
  const idsOfCart = new FindOrderIdsOfCart(deps);
  const facade: OrdersFacade = {
    place: (order, actor, tx) => create.execute(order, actor, tx),
    get: (orderId, tx) => get.execute(orderId, tx),
    transition: (orderId, to, by, tx) => transition.execute(orderId, to, by, tx),
    note: (orderId, by, tx) => note.execute(orderId, by, tx),
    idsInStatus: (status, before, limit) => idsInStatus.execute(status, before, limit),
    view: (orderId, tx) => getView.execute(orderId, tx),
    idsOfCart: (cartId, tx) => idsOfCart.execute(cartId, tx),
  };
  return {
    deps,
    repos,
    uow,
    clock,
    counted,
    commit: () => {
      const effects = pending;
      pending = [];
      for (const fn of effects) fn();
    },
    facade,
  };
};

/** A priced line (tax included at 20 %). */
export const aLine = (over: Partial<NewOrderLine> = {}): NewOrderLine => {
  const quantity = over.quantity ?? 2;
  const unitPrice = over.unitPrice ?? 1250;
  const subtotal = unitPrice * quantity;
  const discount = over.discount ?? 0;
  return {
    sku: over.sku ?? 'SKU-1',
    name: over.name ?? 'Test thing',
    quantity,
    unitPrice,
    subtotal,
    discount,
    lineTotal: subtotal - discount,
    tax: Math.round(((subtotal - discount) * 20) / 120),
  };
};

/** What checkout hands to orders: a customer's order of two lines, EUR, tax included. */
export const aNewOrder = (over: Partial<NewOrder> = {}): NewOrder => {
  const lines = over.lines ?? [aLine(), aLine({ sku: 'SKU-2', quantity: 1, unitPrice: 499 })];
  const subtotal = lines.reduce((a, l) => a + l.subtotal, 0);
  const lineTotals = lines.reduce((a, l) => a + l.lineTotal, 0);
  return {
    id: randomUUID(),
    cartId: randomUUID(),
    customerId: randomUUID(),
    email: 'ada@orders.example',
    currency: 'EUR',
    taxMode: 'inclusive',
    subtotal,
    discount: lines.reduce((a, l) => a + l.discount, 0),
    shipping: 495,
    tax: lines.reduce((a, l) => a + l.tax, 0),
    total: lineTotals + 495,
    promotionCode: null,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      city: 'Dublin',
      postalCode: 'D02 X285',
      country: 'IE',
    },
    shippingOption: { code: 'standard', name: 'Standard (3-5 days)' },
    ...over,
    lines,
  };
};

/** The actor checkout passes for an order: its customer, or a guest. */
export const actorOf = (order: NewOrder): OrderActor =>
  order.customerId ? { kind: 'customer', id: order.customerId } : { kind: 'guest' };

/** Places an order (PAYMENT_PENDING) and optionally moves it on, as checkout would; returns its id. */
export const placed = async (
  o: InMemoryOrders,
  over: Partial<NewOrder> = {},
  moves: Parameters<OrdersFacade['transition']>[1] = [],
): Promise<string> => {
  const order = aNewOrder(over);
  await o.facade.place(order, actorOf(order), callerTx());
  if (typeof moves === 'string' || moves.length > 0)
    await o.facade.transition(order.id, moves, { actor: { kind: 'system' } }, callerTx());
  return order.id;
};
