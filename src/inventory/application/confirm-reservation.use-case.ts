import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import { reservationStates } from '../domain/reservation.lifecycle.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos } from './inventory.repositories.js';

/**
 * The order was paid: its reservation goes `reserved → confirmed` and no longer expires (it holds until
 * released or shipped). True when the order holds a reservation that is (now) confirmed — confirming
 * twice is no change; false when it holds none (never reserved, released, shipped). Inside `tx` when given.
 */
export class ConfirmReservation {
  constructor(private readonly deps: Pick<InventoryDeps, 'uow'>) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<boolean> {
    if (!isUuid(orderId)) return false;
    const work = async ({ repos: { store } }: UnitOfWorkScope<InventoryRepos>): Promise<boolean> => {
      const header = await store.lockReservation(orderId);
      if (!header) return false;
      if (header.status === 'confirmed') return true;
      if (!reservationStates.can(header.status, 'confirmed')) return false;
      await store.setReservationStatus([orderId], reservationStates.transition(header.status, 'confirmed'));
      return true;
    };
    return tx ? this.deps.uow.join(tx, work) : this.deps.uow.run(work);
  }
}
