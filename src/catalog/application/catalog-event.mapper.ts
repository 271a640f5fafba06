import type { Clock } from '../../platform/clock.js';
import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import {
  CATALOG_CONTEXT,
  CatalogEventTypes,
  productArchivedV1,
  productCreatedV1,
  productUpdatedV1,
} from '../contract.js';
import type { ProductEvent } from '../domain/product.aggregate.js';

const SCHEMAS = {
  ProductCreated: [CatalogEventTypes.ProductCreated, productCreatedV1],
  ProductUpdated: [CatalogEventTypes.ProductUpdated, productUpdatedV1],
  ProductArchived: [CatalogEventTypes.ProductArchived, productArchivedV1],
} as const;

/** Maps catalog domain events to the integration events of docs/product/events.md: ids and facts only. */
export const catalogEventMapper = (region: string, clock: Clock): IntegrationEventMapper => {
  const events = integrationEventFactory(region, CATALOG_CONTEXT);
  return (event: DomainEvent) => {
    const entry = SCHEMAS[event.name as keyof typeof SCHEMAS];
    if (!entry) return null;
    const e = event as ProductEvent;
    const [type, schema] = entry;
    return events.create(
      type,
      e.aggregateId,
      schema.parse({ productId: e.aggregateId, slug: e.slug, skus: e.skus, status: e.status }),
      clock.now(),
    );
  };
};
