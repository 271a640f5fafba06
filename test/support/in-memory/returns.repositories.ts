import type {
  ReturnFilter,
  ReturnPage,
  ReturnPosition,
  ReturnRepository,
  ReturnsRepos,
} from '../../../src/returns/application/return.repository.js';
import type { ReturnSummary } from '../../../src/returns/contract.js';
import { Return, type ReturnProps } from '../../../src/returns/domain/return.aggregate.js';
import { InMemoryVersionedRows, oldestFirst, pageOldestFirst } from './versioned-rows.js';

/**
 * The returns repository in memory, for use-case unit tests: copies of the returns' props (a change is
 * stored only when saved), a fresh aggregate on every read, a stale save refused, one return per
 * (order, seq) and per replacement order (as the unique constraints). `locks` records what was read
 * for update (`refund:<id>` for a lookup by refund id).
 */
export class InMemoryReturnRepository
  extends InMemoryVersionedRows<ReturnProps, Return>
  implements ReturnRepository
{
  constructor() {
    super(
      'return',
      Return.restore,
      (r, s) =>
        (r.orderId === s.orderId && r.seq === s.seq) ||
        (r.replacementOrderId !== null && r.replacementOrderId === s.replacementOrderId),
    );
  }

  override async insert(ret: Return): Promise<boolean> {
    if (!(await super.insert(ret))) {
      throw new Error(`return ${ret.number} clashes with a stored one (order and sequence)`);
    }
    return true;
  }

  async findByRefundForUpdate(refundId: string): Promise<Return | null> {
    this.locks.push(`refund:${refundId}`);
    const row = [...this.rows.values()].find((r) => r.refundId === refundId);
    return row ? this.restore(row) : null;
  }

  async ofRefund(refundId: string): Promise<Return | null> {
    const row = [...this.rows.values()].find((r) => r.refundId === refundId);
    return row ? this.restore(row) : null;
  }

  async ofOrder(orderId: string): Promise<Return[]> {
    return [...this.rows.values()]
      .filter((r) => r.orderId === orderId)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => this.restore(r));
  }

  async page(filter: ReturnFilter, limit: number, after: ReturnPosition | null): Promise<ReturnPage> {
    const page = pageOldestFirst(
      this.rows.values(),
      (r) =>
        (!filter.status || r.status === filter.status) && (!filter.orderId || r.orderId === filter.orderId),
      limit,
      after,
      (r) => this.restore(r),
    );
    return { returns: page.items, next: page.next };
  }

  async summariesOf(orderIds: readonly string[]): Promise<Map<string, ReturnSummary[]>> {
    const result = new Map<string, ReturnSummary[]>();
    for (const r of [...this.rows.values()].sort((a, b) => a.seq - b.seq)) {
      if (!orderIds.includes(r.orderId)) continue;
      const list = result.get(r.orderId) ?? [];
      list.push({ id: r.id, number: r.number, status: r.status, refund: r.refund ? { ...r.refund } : null });
      result.set(r.orderId, list);
    }
    return result;
  }

  async ofReplacement(orderId: string): Promise<Return | null> {
    const row = [...this.rows.values()].find((r) => r.replacementOrderId === orderId);
    return row ? this.restore(row) : null;
  }

  async refundsOpen(before: Date, limit: number): Promise<Return[]> {
    return [...this.rows.values()]
      .filter((r) => r.refundOpen && r.updatedAt < before)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((r) => this.restore(r));
  }

  async ofCustomer(customerId: string): Promise<Return[]> {
    return [...this.rows.values()]
      .filter((r) => r.customerId === customerId)
      .sort((a, b) => -oldestFirst(a, b))
      .map((r) => this.restore(r));
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    let n = 0;
    for (const row of this.rows.values()) {
      if (row.customerId !== customerId) continue;
      const ret = this.restore(row);
      if (!ret.eraseNote(now)) continue;
      await this.save(ret);
      n += 1;
    }
    return n;
  }
}

/** The repositories of returns in memory. */
export const inMemoryReturnsRepos = (): ReturnsRepos & { returns: InMemoryReturnRepository } => ({
  returns: new InMemoryReturnRepository(),
});
