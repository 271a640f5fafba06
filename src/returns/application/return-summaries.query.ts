import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ReturnSummary } from '../contract.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * The returns of these orders as the order views show them (the facade's `summariesOf`), oldest first
 * per order; orders without any are absent. On the caller's transaction when it holds one (ADR 0013).
 */
export class ReturnSummaries {
  constructor(private readonly deps: ReturnsDeps) {}

  execute(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, ReturnSummary[]>> {
    if (orderIds.length === 0) return Promise.resolve(new Map());
    return readWithin(this.deps.read, tx, ({ repos }) => repos.returns.summariesOf(orderIds));
  }
}
