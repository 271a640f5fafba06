import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Orders1763700001000 } from '../../migrations/1763700001000-orders.js';
import { OrdersNotes1763700001700 } from '../../migrations/1763700001700-orders-notes.js';
import type { Clock } from '../platform/clock.js';
import { afterCommit } from '../platform/db/after-commit.js';
import { asManager, TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { ordersRoutes } from './adapters/http/orders.routes.js';
import { ordersRegistrations } from './adapters/messaging/orders.consumers.js';
import { ORDERS_ENTITIES } from './adapters/persistence/orders.entity-schemas.js';
import { orderRepos } from './adapters/persistence/typeorm-order.repository.js';
import { CreateOrder } from './application/create-order.use-case.js';
import { EraseCustomerOrders } from './application/erase-customer-orders.use-case.js';
import { ExportCustomerOrders } from './application/export-customer-orders.query.js';
import { FindOrderIdsInStatus } from './application/find-order-ids-in-status.query.js';
import { FindOrderIdsOfCart } from './application/find-order-ids-of-cart.query.js';
import { GetOrder } from './application/get-order.query.js';
import { GetOrderView } from './application/get-order-view.query.js';
import { ListCustomerOrders } from './application/list-customer-orders.query.js';
import { ListOrders } from './application/list-orders.query.js';
import { LockedOrders } from './application/locked-orders.cache.js';
import { NoteOrder } from './application/note-order.use-case.js';
import { NO_VIEW_SOURCES, OrderReader } from './application/order-reader.service.js';
import type { CountedOrderEvent, OrdersDeps } from './application/orders.deps.js';
import { orderEventMapper } from './application/orders-event.mapper.js';
import { TransitionOrder } from './application/transition-order.use-case.js';
import { ViewAnyOrder } from './application/view-any-order.query.js';
import { ViewOrder } from './application/view-order.query.js';
import type { OrdersFacade, OrderViewSources } from './contract.js';

export { ORDERS_ENTITIES } from './adapters/persistence/orders.entity-schemas.js';

export type OrdersModule = ContextModule<OrdersFacade>;

export interface OrdersDependencies {
  /**
   * Payments and shipments for the order views (src/contexts.ts wires payments' `viewsOf`, and
   * fulfilment's shipments once it exists); each defaults to none.
   */
  views?: Partial<OrderViewSources>;
  clock?: Clock;
}

export interface OrdersServices {
  facade: OrdersFacade;
  create: CreateOrder;
  transition: TransitionOrder;
  note: NoteOrder;
  get: GetOrder;
  getView: GetOrderView;
  idsInStatus: FindOrderIdsInStatus;
  idsOfCart: FindOrderIdsOfCart;
  listCustomerOrders: ListCustomerOrders;
  listOrders: ListOrders;
  viewOrder: ViewOrder;
  viewAnyOrder: ViewAnyOrder;
  exportOrders: ExportCustomerOrders;
  erase: EraseCustomerOrders;
}

/** The use cases, queries and facade of orders over one data source (tests build them on a ManualClock). */
export const createOrdersServices = (opts: {
  dataSource: DataSource;
  regionCode: string;
  clock: Clock;
  views?: Partial<OrderViewSources>;
  count?: (event: CountedOrderEvent) => void;
}): OrdersServices => {
  const { dataSource, regionCode, clock } = opts;
  const deps: OrdersDeps = {
    uow: new TypeOrmUnitOfWork(dataSource, orderRepos, orderEventMapper(regionCode)),
    read: new TypeOrmReader(dataSource, orderRepos),
    clock,
    regionCode,
    views: { ...NO_VIEW_SOURCES, ...opts.views },
    afterCommit,
    count: opts.count ?? (() => {}),
    locked: new LockedOrders((tx) => asManager(tx)?.queryRunner?.isTransactionActive === true),
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
    facade,
    create,
    transition,
    note,
    get,
    getView,
    idsInStatus,
    idsOfCart,
    listCustomerOrders: new ListCustomerOrders(deps, reader),
    listOrders: new ListOrders(deps, reader),
    viewOrder: new ViewOrder(reader),
    viewAnyOrder: new ViewAnyOrder(reader),
    exportOrders: new ExportCustomerOrders(deps),
    erase: new EraseCustomerOrders(deps),
  };
};

const COUNTED_EVENTS: readonly CountedOrderEvent[] = [
  'placed',
  'confirmed',
  'cancelled',
  'shipped',
  'delivered',
  'completed',
];

/** `orders_total{event}`: one series per event, present from the start (0) so that rates work at once. */
const ordersCounter = (metrics: Platform['metrics']): Counter<'event'> =>
  metrics.eventCounter(
    'orders_total',
    'Orders placed, and orders moved to confirmed, cancelled, shipped, delivered or completed — counted when the transaction that did it commits',
    COUNTED_EVENTS,
  );

/** The orders context (composition root): the order aggregate, its history and numbers, and the order views. */
export const ordersContext = defineContext({
  name: 'orders',
  entities: ORDERS_ENTITIES,
  migrations: [Orders1763700001000, OrdersNotes1763700001700],
  create: (platform: Platform, options: OrdersDependencies = {}): OrdersModule => {
    const counter = ordersCounter(platform.metrics);
    const services = createOrdersServices({
      dataSource: platform.dataSource,
      regionCode: platform.region.code,
      clock: options.clock ?? platform.clock,
      ...(options.views ? { views: options.views } : {}),
      count: (event) => counter.inc({ event }),
    });
    return {
      name: 'orders',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(ordersRoutes, {
          listCustomerOrders: services.listCustomerOrders,
          listOrders: services.listOrders,
          viewOrder: services.viewOrder,
          viewAnyOrder: services.viewAnyOrder,
          guards,
        });
      },
      consumers: ordersRegistrations({ erase: services.erase }),
      personalData: {
        section: 'orders',
        exportFor: (customerId) => services.exportOrders.execute(customerId),
      },
    };
  },
});
