/**
 * An integration event as it leaves the process: a CloudEvents 1.0 envelope (EVENTS.md) whose data
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
] as const;
export type ContextName = (typeof CONTEXTS)[number];

export const topicFor = (context: string, prefix = ''): string => `${prefix}${context}.events`;

export const eventType = (context: string, name: string, version = 1): string =>
  `shopcore.${context}.${name}.v${version}`;
