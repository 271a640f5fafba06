import type { Clock } from '../../platform/clock.js';
import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import { customerErasedV1, customerRegisteredV1, IDENTITY_CONTEXT, IdentityEventTypes } from '../contract.js';

/** Maps identity domain events to the integration events of docs/product/events.md; others stay internal. */
export const identityEventMapper = (region: string, clock: Clock): IntegrationEventMapper => {
  const events = integrationEventFactory(region, IDENTITY_CONTEXT);
  return (event: DomainEvent) => {
    switch (event.name) {
      case 'CustomerRegistered':
        return events.create(
          IdentityEventTypes.CustomerRegistered,
          event.aggregateId,
          customerRegisteredV1.parse({
            customerId: event.aggregateId,
            region: (event as DomainEvent & { region: string }).region,
          }),
          clock.now(),
        );
      case 'CustomerErased':
        return events.create(
          IdentityEventTypes.CustomerErased,
          event.aggregateId,
          customerErasedV1.parse({ customerId: event.aggregateId }),
          clock.now(),
        );
      default:
        return null;
    }
  };
};
