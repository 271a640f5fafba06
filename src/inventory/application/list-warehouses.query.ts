import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { byCode, type Warehouse } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';

/**
 * The region's warehouses, sorted by code, created from the region preset on first use (idempotent,
 * race-safe) and then remembered. Asked inside the caller's transaction `tx` before they are
 * remembered, they are read (or created) on that connection and remembered only once that read finds
 * all of them committed — a rolled-back creation must not be remembered. The other use cases ask it.
 */
export class ListWarehouses {
  private remembered: Promise<Warehouse[]> | null = null;

  constructor(private readonly deps: Pick<InventoryDeps, 'uow' | 'read' | 'region'>) {}

  async execute(tx?: TransactionHandle): Promise<Warehouse[]> {
    const { code, warehouses } = this.deps.region;
    if (!this.remembered && tx) {
      const codes = warehouses.map((w) => w.code);
      const found = await this.deps.read.join(tx, ({ repos }) => repos.store.findWarehouses(code, codes));
      const list = [...found].sort(byCode);
      if (list.length === codes.length) {
        this.remembered ??= Promise.resolve(list);
        return list;
      }
      return [
        ...(await this.deps.uow.join(tx, ({ repos }) => repos.store.ensureWarehouses(code, warehouses))),
      ].sort(byCode);
    }
    if (!this.remembered) {
      this.remembered = this.deps.uow
        .run(({ repos }) => repos.store.ensureWarehouses(code, warehouses))
        .then((list) => [...list].sort(byCode));
      this.remembered.catch(() => {
        this.remembered = null; // try again on the next call
      });
    }
    return this.remembered;
  }
}
