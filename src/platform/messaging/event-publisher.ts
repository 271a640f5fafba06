import type { IntegrationEvent } from './integration-event.js';

/**
 * The EventPublisher port used by the outbox relay. `publish` resolves only once the broker has
 * acknowledged every event of the batch, in the order given (per subject); it rejects otherwise.
 */
export interface EventPublisher {
  readonly kind: 'kafka' | 'in-process';
  connect(): Promise<void>;
  publish(events: IntegrationEvent[]): Promise<void>;
  /** true when the broker answers; used by /readyz */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
