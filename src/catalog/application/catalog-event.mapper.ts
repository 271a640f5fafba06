import type { Clock } from '../../platform/clock.js';
import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { newId } from '../../platform/ids.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
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

/** Maps catalog domain events to the integration events of EVENTS.md: ids and facts only. */
export const catalogEventMapper =
  (region: string, clock: Clock): IntegrationEventMapper =>
  (event: DomainEvent): IntegrationEvent | null => {
    const entry = SCHEMAS[event.name as keyof typeof SCHEMAS];
    if (!entry) return null;
    const e = event as ProductEvent;
    const [type, schema] = entry;
    return {
      id: newId(),
      context: CATALOG_CONTEXT,
      type,
      source: `urn:shopcore:${region}:${CATALOG_CONTEXT}`,
      subject: e.aggregateId,
      time: clock.now().toISOString(),
      data: schema.parse({ productId: e.aggregateId, slug: e.slug, skus: e.skus, status: e.status }),
    };
  };
