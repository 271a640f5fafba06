import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import { PricingEventTypes, priceChangedV1 } from '../../../pricing/contract.js';
import type { CatalogEventHandlers } from '../../application/catalog-event.handlers.js';
import { CatalogEventTypes, productArchivedV1, productCreatedV1, productUpdatedV1 } from '../../contract.js';

const PRODUCT_SCHEMAS = {
  [CatalogEventTypes.ProductCreated]: productCreatedV1,
  [CatalogEventTypes.ProductUpdated]: productUpdatedV1,
  [CatalogEventTypes.ProductArchived]: productArchivedV1,
} as const;

/**
 * The catalog's consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `catalog.prices`: PriceChanged → the catalog's price projection, and cache invalidation;
 * - `catalog.cache`: the catalog's own Product* events → cache invalidation on the consuming instance.
 */
export const catalogRegistrations = (handlers: CatalogEventHandlers): EventHandlerRegistration[] => [
  {
    group: 'catalog.prices',
    contexts: ['pricing'],
    types: [PricingEventTypes.PriceChanged],
    handle: async (event, tx) => {
      const data = priceChangedV1.parse(event.data);
      await handlers.priceChanged({ ...data, at: new Date(event.time) }, tx);
    },
  },
  {
    group: 'catalog.cache',
    contexts: ['catalog'],
    types: Object.keys(PRODUCT_SCHEMAS),
    handle: async (event) => {
      const schema = PRODUCT_SCHEMAS[event.type as keyof typeof PRODUCT_SCHEMAS];
      if (schema) {
        await handlers.productChanged(
          schema.parse(event.data),
          event.type === CatalogEventTypes.ProductCreated,
        );
      }
    },
  },
];
