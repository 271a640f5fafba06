import type {
  IntegrationEventMapper,
  TransactionHandle,
  UnitOfWork,
  UnitOfWorkScope,
} from '../../src/platform/db/unit-of-work.js';
import type { AggregateRoot } from '../../src/platform/domain/aggregate-root.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';

/** The handle an in-memory unit of work hands out: opaque, like a real one, and never a connection. */
const IN_MEMORY_TX = Object.freeze({ inMemory: true }) as unknown as TransactionHandle;

/**
 * A unit of work over in-memory repositories, for use-case unit tests (no database): it runs the work
 * with the repositories it was given, and when the work returns it drains the tracked aggregates'
 * domain events through the context's mapper into `events` — the outbox a real unit of work writes —
 * with the ones emitted directly, then runs the after-commit effects. A work that throws keeps no
 * event and runs no effect; what it changed in the repositories is the test's to judge (there is no
 * rollback in memory: use-case tests check what a refusal leaves by asserting on the repositories).
 * `join` runs inside the caller's unit of work, as the real one does.
 */
export class InMemoryUnitOfWork<R> implements UnitOfWork<R> {
  /** every integration event "committed" so far, in order */
  readonly events: IntegrationEvent[] = [];
  /** how many units of work committed */
  commits = 0;

  constructor(
    readonly repos: R,
    private readonly mapEvent: IntegrationEventMapper = () => null,
  ) {}

  async run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    const effects: (() => Promise<void> | void)[] = [];
    const result = await this.inside(work, effects);
    this.commits += 1;
    for (const effect of effects) await effect();
    return result;
  }

  join<T>(_tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return this.inside(work, null);
  }

  private async inside<T>(
    work: (scope: UnitOfWorkScope<R>) => Promise<T>,
    effects: (() => Promise<void> | void)[] | null,
  ): Promise<T> {
    const tracked = new Set<AggregateRoot>();
    const emitted: IntegrationEvent[] = [];
    const result = await work({
      repos: this.repos,
      tx: IN_MEMORY_TX,
      track: (aggregate) => {
        tracked.add(aggregate);
        return aggregate;
      },
      emit: (event) => {
        emitted.push(event);
      },
      afterCommit: (effect) => {
        if (!effects) throw new Error('afterCommit needs a unit of work of its own (run), not join');
        effects.push(effect);
      },
    });
    for (const aggregate of tracked) {
      for (const domainEvent of aggregate.pullEvents()) {
        const integration = this.mapEvent(domainEvent);
        if (integration) this.events.push(integration);
      }
    }
    this.events.push(...emitted);
    return result;
  }

  /** The types of the events committed so far, in order. */
  eventTypes(): string[] {
    return this.events.map((e) => e.type);
  }
}
