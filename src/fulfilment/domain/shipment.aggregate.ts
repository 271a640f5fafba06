import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import { isUuid } from '../../platform/ids.js';
import { ShipmentInvariantError } from './fulfilment.errors.js';
import { LEFT_WAREHOUSE, type ShipmentStatus, shipmentStates } from './shipment.lifecycle.js';

/** Who moved a shipment: a staff member (admin or inventory manager, by user id) or the system. */
export interface ShipmentActor {
  kind: 'staff' | 'system';
  /** the staff member's user id; absent for the system */
  id?: string;
}

/** What one warehouse sends of an order: SKUs and quantities (its part of the order's allocation). */
export interface ShipmentLine {
  sku: string;
  quantity: number;
}

export interface ShipmentHistoryEntry {
  /** the status before the step; null for the first entry (pending) */
  from: ShipmentStatus | null;
  status: ShipmentStatus;
  at: Date;
  reason: string | null;
  actor: ShipmentActor;
}

export interface ShipmentProps {
  id: string;
  orderId: string;
  /** the order's human-readable number (`EU-000123`), for pick lists and labels */
  orderNumber: string;
  warehouseId: string;
  status: ShipmentStatus;
  lines: ShipmentLine[];
  /** the carrier that took it, and its tracking number: set at dispatch */
  carrier: string | null;
  trackingNumber: string | null;
  history: ShipmentHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  /** bumped on every save; the repository refuses a save of a stale copy */
  version: number;
}

export type ShipmentEventName =
  | 'ShipmentCreated'
  | 'ShipmentPicked'
  | 'ShipmentPacked'
  | 'ShipmentDispatched'
  | 'ShipmentDelivered'
  | 'ShipmentCancelled';

/** What a shipment recorded; the unit of work maps each to the integration event of the same name. */
export interface ShipmentDomainEvent extends DomainEvent {
  readonly name: ShipmentEventName;
  readonly orderId: string;
  readonly warehouseId: string;
  readonly trackingNumber: string | null;
  readonly reason: string | null;
}

const EVENT_OF: Partial<Record<ShipmentStatus, ShipmentEventName>> = {
  picked: 'ShipmentPicked',
  packed: 'ShipmentPacked',
  dispatched: 'ShipmentDispatched',
  delivered: 'ShipmentDelivered',
  cancelled: 'ShipmentCancelled',
};

const checkActor = (actor: ShipmentActor): ShipmentActor => {
  if (actor.kind === 'staff') {
    if (!actor.id || !isUuid(actor.id)) throw new ShipmentInvariantError('a staff actor needs a user id');
    return { kind: 'staff', id: actor.id };
  }
  return { kind: 'system' };
};

/**
 * One parcel of an order from one warehouse (docs/product/spec.md: one shipment per warehouse of the order's
 * allocation) and its way through the warehouse and the carrier — a transition table
 * (`shipment.lifecycle.ts`), every step a history entry (who, when) and a domain event.
 */
export class Shipment extends AggregateRoot {
  private unsaved: ShipmentHistoryEntry[] = [];

  private constructor(private readonly props: ShipmentProps) {
    super();
  }

  /** A new shipment, `pending`, with `ShipmentCreated`. */
  static create(input: {
    id: string;
    orderId: string;
    orderNumber: string;
    warehouseId: string;
    lines: readonly ShipmentLine[];
    now: Date;
  }): Shipment {
    if (input.lines.length === 0) throw new ShipmentInvariantError(`shipment ${input.id} has no lines`);
    for (const l of input.lines) {
      if (!l.sku || !Number.isSafeInteger(l.quantity) || l.quantity < 1) {
        throw new ShipmentInvariantError(`shipment ${input.id}: line ${l.sku} needs a quantity ≥ 1`);
      }
    }
    const shipment = new Shipment({
      id: input.id,
      orderId: input.orderId,
      orderNumber: input.orderNumber,
      warehouseId: input.warehouseId,
      status: 'pending',
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      carrier: null,
      trackingNumber: null,
      history: [],
      createdAt: input.now,
      updatedAt: input.now,
      version: 0,
    });
    shipment.append({
      from: null,
      status: 'pending',
      at: input.now,
      reason: null,
      actor: { kind: 'system' },
    });
    shipment.emit('ShipmentCreated', input.now, null);
    return shipment;
  }

  static restore(props: ShipmentProps): Shipment {
    return new Shipment({ ...props, lines: [...props.lines], history: [...props.history] });
  }

  get id(): string {
    return this.props.id;
  }
  get orderId(): string {
    return this.props.orderId;
  }
  get status(): ShipmentStatus {
    return this.props.status;
  }
  get version(): number {
    return this.props.version;
  }
  /** true once the parcel left the warehouse (dispatched or delivered) */
  get leftWarehouse(): boolean {
    return LEFT_WAREHOUSE.has(this.props.status);
  }

  /** A warehouse step: picked, packed or delivered — each only from the step before (409 otherwise). */
  advance(to: 'picked' | 'packed' | 'delivered', actor: ShipmentActor, now: Date): void {
    this.move(to, actor, now, null);
  }

  /** Handed to `carrier` with `trackingNumber`: packed → dispatched (409 otherwise), `ShipmentDispatched`. */
  dispatch(label: { carrier: string; trackingNumber: string }, actor: ShipmentActor, now: Date): void {
    if (!label.carrier || !label.trackingNumber) {
      throw new ShipmentInvariantError(
        `shipment ${this.props.id}: a dispatch needs a carrier and a tracking number`,
      );
    }
    shipmentStates.transition(this.props.status, 'dispatched'); // throws before anything changes
    this.props.carrier = label.carrier;
    this.props.trackingNumber = label.trackingNumber;
    this.move('dispatched', actor, now, null);
  }

  /**
   * Its order was cancelled: a shipment still in the warehouse is `cancelled` (true). Cancelled
   * already: nothing (false). Dispatched or delivered: 409 — the parcel is gone.
   */
  cancel(reason: string, actor: ShipmentActor, now: Date): boolean {
    if (this.props.status === 'cancelled') return false;
    this.move('cancelled', actor, now, reason.trim() || 'order cancelled');
    return true;
  }

  /** The history entries added since it was created or loaded, for the repository to append. */
  unsavedHistory(): readonly ShipmentHistoryEntry[] {
    return this.unsaved;
  }

  markSaved(version: number): void {
    this.unsaved = [];
    this.props.version = version;
  }

  snapshot(): Readonly<ShipmentProps> {
    return {
      ...this.props,
      lines: this.props.lines.map((l) => ({ ...l })),
      history: this.props.history.map((h) => ({ ...h, actor: { ...h.actor } })),
    };
  }

  private move(to: ShipmentStatus, actor: ShipmentActor, now: Date, reason: string | null): void {
    const from = this.props.status;
    const who = checkActor(actor);
    this.props.status = shipmentStates.transition(from, to);
    this.props.updatedAt = now;
    this.append({ from, status: to, at: now, reason, actor: who });
    const name = EVENT_OF[to];
    if (name) this.emit(name, now, reason);
  }

  private append(entry: ShipmentHistoryEntry): void {
    this.props.history.push(entry);
    this.unsaved.push(entry);
  }

  private emit(name: ShipmentEventName, at: Date, reason: string | null): void {
    const event: ShipmentDomainEvent = {
      name,
      aggregateId: this.props.id,
      occurredAt: at,
      orderId: this.props.orderId,
      warehouseId: this.props.warehouseId,
      trackingNumber: this.props.trackingNumber,
      reason,
    };
    this.record(event);
  }
}
