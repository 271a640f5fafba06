import type { ShipmentActor } from '../domain/shipment.aggregate.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';
import type { ShipmentView } from './shipment.view.js';
import type { ShipmentStepper } from './shipment-steps.service.js';

export type WarehouseStep = 'pick' | 'pack' | 'deliver';
const TARGET = { pick: 'picked', pack: 'packed', deliver: 'delivered' } as const;

/**
 * The staff steps of a shipment in the warehouse (docs/product/api.md "Fulfilment"): pick (pending → picked), pack
 * (picked → packed), deliver (dispatched → delivered) — each legal only from the step before (409
 * ILLEGAL_STATE_TRANSITION otherwise), one transaction with a history entry (the staff member) and its
 * event. Pick and pack lock the order first and refuse a cancelled one (409).
 */
export class AdvanceShipment {
  constructor(
    private readonly deps: FulfilmentDeps,
    private readonly stepper: ShipmentStepper,
  ) {}

  execute(shipmentId: string, step: WarehouseStep, actor: ShipmentActor): Promise<ShipmentView> {
    const to = TARGET[step];
    return this.deps.uow.run(async (scope) => {
      // a delivery is the carrier's news: the parcel left already, the order's state cannot stop it
      const shipment = await this.stepper.lock(scope, shipmentId, step === 'deliver' ? null : {});
      shipment.advance(to, actor, this.deps.clock.now());
      return this.stepper.save(scope, shipment, to);
    });
  }
}
