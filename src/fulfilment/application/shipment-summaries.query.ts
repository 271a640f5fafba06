import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ShipmentSummary } from '../contract.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';

/**
 * The shipments of these orders as the order views show them (the facade's `shipmentsOf`), oldest first
 * per order; orders without any are absent. On the caller's transaction when it holds one (ADR 0013).
 */
export class ShipmentSummaries {
  constructor(private readonly deps: FulfilmentDeps) {}

  execute(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, ShipmentSummary[]>> {
    if (orderIds.length === 0) return Promise.resolve(new Map());
    return readWithin(this.deps.read, tx, ({ repos }) => repos.shipments.summariesOf(orderIds));
  }
}
