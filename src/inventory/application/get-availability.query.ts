import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isSku } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { ListWarehouses } from './list-warehouses.query.js';

/**
 * Sellable units per SKU in the region (on hand − reserved over its warehouses; 0 for unknown SKUs).
 * `fresh` reads Postgres (on `tx` when given); otherwise the short-lived per-SKU cache may answer
 * (stale by at most the cache TTL, see docs/inventory.md) and what it lacked is loaded and stored.
 */
export class GetAvailability {
  constructor(
    private readonly deps: InventoryDeps,
    private readonly warehouses: ListWarehouses,
  ) {}

  async execute(
    skus: readonly string[],
    opts: { fresh?: boolean; tx?: TransactionHandle } = {},
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>(skus.map((s) => [s, 0]));
    const wanted = [...new Set(skus)].filter(isSku);
    if (wanted.length === 0) return result;
    const cache = this.deps.availabilityCache;
    let missing = wanted;
    if (cache.enabled && !opts.fresh) {
      const cached = await cache.getMany(wanted);
      missing = [];
      wanted.forEach((s, i) => {
        const v = cached[i];
        if (v === undefined) missing.push(s);
        else result.set(s, v);
      });
      if (missing.length === 0) return result;
    }
    const ids = (await this.warehouses.execute(opts.tx)).map((w) => w.id);
    const loaded = await readWithin(this.deps.read, opts.tx, ({ repos }) =>
      repos.store.available(missing, ids),
    );
    for (const s of missing) result.set(s, loaded.get(s) ?? 0);
    await cache.setMany(missing.map((s) => ({ sku: s, available: result.get(s) ?? 0 })));
    return result;
  }
}
