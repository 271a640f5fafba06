import type { Clock } from '../../platform/clock.js';
import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import { PRICING_CONTEXT, PricingEventTypes, priceChangedV1, promotionRedeemedV1 } from '../contract.js';

/** Maps pricing domain events to the integration events of docs/product/events.md; others stay internal. */
export const pricingEventMapper = (region: string, clock: Clock): IntegrationEventMapper => {
  const events = integrationEventFactory(region, PRICING_CONTEXT);
  return (event: DomainEvent) => {
    switch (event.name) {
      case 'PriceChanged': {
        const e = event as DomainEvent & { sku: string; amount: number; currency: string };
        return events.create(
          PricingEventTypes.PriceChanged,
          event.aggregateId,
          priceChangedV1.parse({ sku: e.sku, amount: e.amount, currency: e.currency }),
          clock.now(),
        );
      }
      case 'PromotionRedeemed': {
        const e = event as DomainEvent & { code: string; orderId: string };
        return events.create(
          PricingEventTypes.PromotionRedeemed,
          event.aggregateId,
          promotionRedeemedV1.parse({ code: e.code, orderId: e.orderId }),
          clock.now(),
        );
      }
      default:
        return null;
    }
  };
};
