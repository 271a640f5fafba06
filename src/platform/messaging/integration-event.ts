import { newId } from '../ids.js';

/**
 * An integration event as it leaves the process: a CloudEvents 1.0 envelope (docs/product/events.md) whose data
 * carries ids and business facts only — never personal data.
 */
export interface IntegrationEvent {
  /** ce_id: UUID, unique per event, stable across redeliveries */
  id: string;
  /** context that owns the event; the topic is `${prefix}${context}.events` */
  context: string;
  /** ce_type, e.g. shopcore.identity.CustomerRegistered.v1 */
  type: string;
  /** ce_source, urn:shopcore:<region>:<context> */
  source: string;
  /** ce_subject: the aggregate id; also the Kafka message key */
  subject: string;
  /** ce_time, RFC 3339 */
  time: string;
  data: Record<string, unknown>;
  /** W3C trace context of the transaction that wrote the event, when a trace was active */
  traceparent?: string;
}

export const CONTEXTS = [
  'catalog',
  'pricing',
  'inventory',
  'cart',
  'orders',
  'payments',
  'fulfilment',
  'identity',
  'returns',
] as const;
export type ContextName = (typeof CONTEXTS)[number];

export const topicFor = (context: string, prefix = ''): string => `${prefix}${context}.events`;

export const eventType = (context: string, name: string, version = 1): string =>
  `shopcore.${context}.${name}.v${version}`;

/**
 * The one place an integration event's CloudEvents envelope is built (docs/architecture.md, "The path
 * of an event"): a context's mapper hands it the event's type, subject (the aggregate id, also the
 * Kafka key), data (parsed by the event's zod schema in the context's contract) and when it happened;
 * the id, the context, the source `urn:shopcore:<region>:<context>` and the time's format come from
 * here. `test/unit/event-pipeline.test.ts` checks that no other file builds one.
 */
export interface IntegrationEventFactory {
  create(type: string, subject: string, data: Record<string, unknown>, occurredAt: Date): IntegrationEvent;
}

export const integrationEventFactory = (region: string, context: ContextName): IntegrationEventFactory => {
  const source = `urn:shopcore:${region}:${context}`;
  return {
    create: (type, subject, data, occurredAt) => ({
      id: newId(),
      context,
      type,
      source,
      subject,
      time: occurredAt.toISOString(),
      data,
    }),
  };
};
