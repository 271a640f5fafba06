/**
 * Aggregates record what happened as domain events; the unit of work drains them before commit
 * and turns the ones in docs/product/events.md into integration events in the outbox.
 */
export interface DomainEvent {
  readonly name: string;
  readonly aggregateId: string;
  readonly occurredAt: Date;
}

export abstract class AggregateRoot {
  private pending: DomainEvent[] = [];

  abstract get id(): string;

  protected record(event: DomainEvent): void {
    this.pending.push(event);
  }

  /** Returns the recorded events and forgets them. */
  pullEvents(): DomainEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
