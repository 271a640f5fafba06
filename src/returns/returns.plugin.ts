import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Returns1763700001900 } from '../../migrations/1763700001900-returns.js';
import type { CatalogFacade } from '../catalog/contract.js';
import type { FulfilmentFacade } from '../fulfilment/contract.js';
import type { InventoryOrderFacade } from '../inventory/contract.js';
import type { OrdersFacade } from '../orders/contract.js';
import type { PaymentsFacade } from '../payments/contract.js';
import type { Clock } from '../platform/clock.js';
import { afterCommit } from '../platform/db/after-commit.js';
import { KeyedSerializer } from '../platform/db/keyed-serializer.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Money } from '../platform/money.js';
import type { Platform } from '../platform/platform.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import type { PricingFacade } from '../pricing/contract.js';
import { returnsRoutes } from './adapters/http/returns.routes.js';
import { returnsRegistrations } from './adapters/messaging/returns.consumers.js';
import { RETURNS_ENTITIES } from './adapters/persistence/returns.entity-schemas.js';
import { returnsRepos } from './adapters/persistence/typeorm-return.repository.js';
import { ApproveReturn } from './application/approve-return.use-case.js';
import { CancelReturn } from './application/cancel-return.use-case.js';
import { CompleteDeliveredOrders } from './application/complete-delivered-orders.use-case.js';
import { CompleteReturnRefund } from './application/complete-return-refund.use-case.js';
import { EraseCustomerReturns } from './application/erase-customer-returns.use-case.js';
import { ExportCustomerReturns } from './application/export-customer-returns.query.js';
import { GetReturn } from './application/get-return.query.js';
import { ListOrderReturns } from './application/list-order-returns.query.js';
import { ListReturns } from './application/list-returns.query.js';
import { ReceiveReturn } from './application/receive-return.use-case.js';
import { RejectReturn } from './application/reject-return.use-case.js';
import { ReplacementOrigin } from './application/replacement-origin.query.js';
import { RequestReturn } from './application/request-return.use-case.js';
import { RetryReturnRefunds } from './application/retry-return-refunds.use-case.js';
import { ReturnMoves } from './application/return-moves.service.js';
import { ReturnOfRefund } from './application/return-of-refund.query.js';
import { ReturnRefunds } from './application/return-refunds.service.js';
import { ReturnSummaries } from './application/return-summaries.query.js';
import type { ReturnsDeps, ReturnsLogger } from './application/returns.deps.js';
import { returnEventMapper } from './application/returns-event.mapper.js';
import type { ReturnsFacade } from './contract.js';
import { RETURN_REASON_VALUES, RETURN_STATUS_VALUES, type ReturnStatus } from './domain/return.lifecycle.js';

export { RETURNS_ENTITIES } from './adapters/persistence/returns.entity-schemas.js';

export interface ReturnsServices {
  facade: ReturnsFacade;
  requestReturn: RequestReturn;
  approveReturn: ApproveReturn;
  rejectReturn: RejectReturn;
  cancelReturn: CancelReturn;
  receiveReturn: ReceiveReturn;
  completeRefund: CompleteReturnRefund;
  retryRefunds: RetryReturnRefunds;
  completeDeliveredOrders: CompleteDeliveredOrders;
  erase: EraseCustomerReturns;
  listOrderReturns: ListOrderReturns;
  listReturns: ListReturns;
  getReturn: GetReturn;
  returnSummaries: ReturnSummaries;
  replacementOrigin: ReplacementOrigin;
  exportReturns: ExportCustomerReturns;
  /** one pass of the completion task (tests drive it on a moved clock) */
  completeDelivered: () => Promise<number>;
  /** one pass of the refund retry task */
  retryDueRefunds: () => Promise<{ completed: number; retried: number }>;
}

const quiet: ReturnsLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** What returns calls of the other contexts. */
export interface ReturnsDependencies {
  orders: Pick<OrdersFacade, 'get' | 'place' | 'transition' | 'idsInStatus'>;
  fulfilment: Pick<FulfilmentFacade, 'shipmentsOf'>;
  inventory: Pick<InventoryOrderFacade, 'receiveReturn' | 'reserve' | 'confirm'>;
  payments: Pick<PaymentsFacade, 'requestRefund' | 'refundsOf' | 'settle'>;
  catalog: Pick<CatalogFacade, 'findVariants'>;
  pricing: Pick<PricingFacade, 'pricesFor'>;
  /** the tasks' pace (tests: faster); defaults 30 s (refund retries) and 60 s (completion) */
  refundRetryIntervalMs?: number;
  completionIntervalMs?: number;
}

/** The use cases, queries and facade of returns over one data source (one app instance). */
export const createReturnsServices = (
  opts: ReturnsDependencies & {
    dataSource: DataSource;
    region: string;
    clock: Clock;
    /** RETURN_WINDOW_DAYS */
    windowDays: number;
    logger?: ReturnsLogger;
    count?: (status: ReturnStatus, reason: string) => void;
    refunded?: (amount: Money) => void;
    retried?: () => void;
  },
): ReturnsServices => {
  const logger = opts.logger ?? quiet;
  const count = opts.count ?? (() => {});
  const refunded = opts.refunded ?? (() => {});
  const deps: ReturnsDeps = {
    // a transaction that lost a race for locks (deadlock, serialization failure) runs again whole
    uow: new RetryingUnitOfWork(
      new TypeOrmUnitOfWork(opts.dataSource, returnsRepos, returnEventMapper(opts.region)),
      {
        onRetry: (code, attempt) =>
          logger.warn({ code, attempt }, 'returns transaction lost a race; retrying'),
      },
    ),
    read: new TypeOrmReader(opts.dataSource, returnsRepos),
    clock: opts.clock,
    serial: new KeyedSerializer(),
    windowDays: opts.windowDays,
    orders: opts.orders,
    fulfilment: opts.fulfilment,
    inventory: opts.inventory,
    payments: opts.payments,
    catalog: opts.catalog,
    pricing: opts.pricing,
    logger,
    count: (status, reason, tx) => afterCommit(tx, () => count(status, reason)),
    refunded: (amount, tx) => afterCommit(tx, () => refunded(amount)),
    retried: opts.retried ?? (() => {}),
  };
  const moves = new ReturnMoves(deps);
  const refunds = new ReturnRefunds(deps);
  const completeRefund = new CompleteReturnRefund(deps, moves);
  const retryRefunds = new RetryReturnRefunds(deps, moves, refunds, completeRefund);
  const completeDeliveredOrders = new CompleteDeliveredOrders(deps);
  const returnSummaries = new ReturnSummaries(deps);
  const replacementOrigin = new ReplacementOrigin(deps);
  const returnOfRefund = new ReturnOfRefund(deps);
  const facade: ReturnsFacade = {
    summariesOf: (orderIds, tx) => returnSummaries.execute(orderIds, tx),
    replacementOrigin: (orderId, tx) => replacementOrigin.execute(orderId, tx),
    returnOfRefund: (refundId, tx) => returnOfRefund.execute(refundId, tx),
  };
  return {
    facade,
    requestReturn: new RequestReturn(deps),
    approveReturn: new ApproveReturn(deps, moves),
    rejectReturn: new RejectReturn(deps, moves),
    cancelReturn: new CancelReturn(deps, moves),
    receiveReturn: new ReceiveReturn(deps, moves, refunds, completeRefund),
    completeRefund,
    retryRefunds,
    completeDeliveredOrders,
    erase: new EraseCustomerReturns(deps),
    listOrderReturns: new ListOrderReturns(deps),
    listReturns: new ListReturns(deps),
    getReturn: new GetReturn(deps),
    returnSummaries,
    replacementOrigin,
    exportReturns: new ExportCustomerReturns(deps),
    completeDelivered: () => completeDeliveredOrders.execute(),
    retryDueRefunds: () => retryRefunds.execute(),
  };
};

/** `returns_total{status,reason}`: every status a return moved to, with its reason (or `mixed`). */
const returnsCounter = (metrics: Platform['metrics']): Counter<'status' | 'reason'> => {
  const counter = metrics.counter({
    name: 'returns_total',
    help: 'Returns moved to a status (REQUESTED at creation), by the reason given — counted when the transaction commits',
    labelNames: ['status', 'reason'],
  });
  for (const status of RETURN_STATUS_VALUES)
    for (const reason of RETURN_REASON_VALUES) counter.inc({ status, reason }, 0);
  return counter;
};

export interface ReturnsModule extends ContextModule<ReturnsFacade> {
  readonly services: ReturnsServices;
}

/**
 * The returns context (composition root): customers' returns of delivered units, staff approval and
 * receipt, the refund or replacement that follows, and the completion of orders whose return window
 * closed. An orchestrator like checkout: it calls orders, fulfilment, inventory, payments, catalog and
 * pricing through their facades; its consumers follow refunds and erase customers' notes.
 */
export const returnsContext = defineContext({
  name: 'returns',
  entities: RETURNS_ENTITIES,
  migrations: [Returns1763700001900],
  create: (platform: Platform, deps: ReturnsDependencies): ReturnsModule => {
    const logger = platform.logger.child({ component: 'returns' });
    const counter = returnsCounter(platform.metrics);
    const refundedMinor = platform.metrics.counter({
      name: 'returns_refunded_minor_total',
      help: 'Money refunded for returns, in minor units of the currency — counted when the refund succeeded',
      labelNames: ['currency'],
    });
    const retries = platform.metrics.counter({
      name: 'returns_refund_retries_total',
      help: 'Return refunds asked for again: the provider refused the last attempt, or the payment was not captured yet',
    });
    const services = createReturnsServices({
      ...deps,
      dataSource: platform.dataSource,
      region: platform.region.code,
      clock: platform.clock,
      windowDays: platform.config.RETURN_WINDOW_DAYS,
      logger,
      count: (status, reason) => counter.inc({ status, reason }),
      refunded: (amount) => refundedMinor.inc({ currency: amount.currency }, amount.amount),
      retried: () => retries.inc(),
    });
    return {
      name: 'returns',
      facade: services.facade,
      services,
      routes: async (app, { guards }) => {
        await app.register(returnsRoutes, {
          requestReturn: services.requestReturn,
          listOrderReturns: services.listOrderReturns,
          cancelReturn: services.cancelReturn,
          listReturns: services.listReturns,
          getReturn: services.getReturn,
          approveReturn: services.approveReturn,
          rejectReturn: services.rejectReturn,
          receiveReturn: services.receiveReturn,
          guards,
        });
      },
      consumers: returnsRegistrations({ completeRefund: services.completeRefund, erase: services.erase }),
      tasks: [
        periodicTask(
          'returns.refunds',
          deps.refundRetryIntervalMs ?? 30_000,
          async () => {
            await services.retryRefunds.execute();
          },
          logger,
        ),
        periodicTask(
          'returns.completion',
          deps.completionIntervalMs ?? platform.config.RETURNS_COMPLETION_INTERVAL_MS,
          async () => {
            await services.completeDeliveredOrders.execute();
          },
          logger,
        ),
      ],
      personalData: {
        section: 'returns',
        exportFor: (customerId) => services.exportReturns.execute(customerId),
      },
    };
  },
});
