import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { AllocatedLine } from '../contract.js';
import { bySkuAndWarehouse } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';

/**
 * What the order's reservation allocated, warehouse by warehouse (fulfilment makes one shipment per
 * warehouse of it), shipped lines included; empty when the order holds no reservation or it was
 * released. Reads on `tx` when given.
 */
export class GetAllocation {
  constructor(private readonly deps: Pick<InventoryDeps, 'read'>) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    if (!isUuid(orderId)) return [];
    return readWithin(this.deps.read, tx, async ({ repos: { store } }) => {
      const header = await store.findReservation(orderId);
      if (!header || header.status === 'released') return [];
      return (await store.reservationLines(orderId)).sort(bySkuAndWarehouse);
    });
  }
}
