import type { Movement } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';

export interface MovementPage {
  items: (Movement & { seq: string })[];
  /** the keyset position to continue after, null on the last page */
  next: string | null;
}

/** The ledger of a SKU, newest first, `limit` at a time (keyset on the ledger's sequence). */
export class ListMovements {
  constructor(private readonly deps: Pick<InventoryDeps, 'read'>) {}

  async execute(sku: string, limit: number, beforeSeq: string | null): Promise<MovementPage> {
    const rows = await this.deps.read.run(({ repos }) => repos.store.movements(sku, limit + 1, beforeSeq));
    const items = rows.slice(0, limit);
    return {
      items,
      next: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null,
    };
  }
}
