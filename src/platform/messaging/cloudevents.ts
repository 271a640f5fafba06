import type { IntegrationEvent } from './integration-event.js';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode (docs/product/events.md): the attributes travel as
 * `ce_*` headers, the value is the JSON `data` object and the key is the subject (aggregate id).
 */

export const CE_SPECVERSION = '1.0';
export const CE_CONTENT_TYPE = 'application/json';

/** Header names of the binary content mode, as written by {@link toKafkaMessage}. */
export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

/** A Kafka header value as kafkajs hands it over (repeated headers arrive as an array). */
export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

/** What the Kafka adapters produce: every header a plain string. */
export interface CloudEventKafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The parts of a Kafka record that {@link fromKafkaMessage} reads (consumed or about to be produced). */
export interface KafkaRecordLike {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: KafkaHeaders;
}

/** `shopcore.<context>.<Name>.v<version>` */
const TYPE_PATTERN = /^shopcore\.([a-z][a-z0-9-]*)\.([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3339 date-time (full-date "T" full-time, with a zone offset). */
const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** W3C trace context, version 00. */
const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A Kafka record that is not a CloudEvent of docs/product/events.md: a poison message, never worth a retry. */
export class InvalidCloudEventError extends Error {
  readonly code = 'INVALID_CLOUDEVENT';
  constructor(
    readonly topic: string,
    readonly reason: string,
  ) {
    super(`Invalid CloudEvent on ${topic}: ${reason}`);
    this.name = 'InvalidCloudEventError';
  }
}

/** Splits `shopcore.<context>.<Name>.v1` into its parts, or null when it is not such a type. */
export const parseEventType = (type: string): { context: string; name: string; version: number } | null => {
  const m = TYPE_PATTERN.exec(type);
  return m ? { context: m[1]!, name: m[2]!, version: Number(m[3]) } : null;
};

/** The Kafka record of an event: key = subject, value = JSON data, CloudEvents attributes as headers. */
export const toKafkaMessage = (event: IntegrationEvent): CloudEventKafkaMessage => {
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: CE_SPECVERSION,
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.subject]: event.subject,
    [CE_HEADERS.time]: event.time,
    [CE_HEADERS.contentType]: CE_CONTENT_TYPE,
  };
  if (event.traceparent) headers[CE_HEADERS.traceparent] = event.traceparent;
  return { key: event.subject, value: JSON.stringify(event.data), headers };
};

const text = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('utf8'));

/** The single string value of a header; undefined when absent. A repeated header is ambiguous. */
const headerValue = (topic: string, headers: KafkaHeaders, name: string): string | undefined => {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    if (raw.length !== 1)
      throw new InvalidCloudEventError(topic, `header ${name} appears ${raw.length} times`);
    return text(raw[0]!);
  }
  return text(raw);
};

/** `[prefix]<context>.events`, or its dead-letter topic. */
const belongsOn = (topic: string, context: string): boolean =>
  topic.endsWith(`${context}.events`) || topic.endsWith(`${context}.events.dlq`);

const required = (topic: string, headers: KafkaHeaders, name: string): string => {
  const value = headerValue(topic, headers, name);
  if (value === undefined || value.length === 0)
    throw new InvalidCloudEventError(topic, `header ${name} is missing`);
  return value;
};

/**
 * Reads a Kafka record back into an integration event; the context comes from `ce_type`.
 * Throws {@link InvalidCloudEventError} when a required header is missing or malformed, or when the
 * value is not a JSON object.
 */
export const fromKafkaMessage = (topic: string, message: KafkaRecordLike): IntegrationEvent => {
  const headers = message.headers ?? {};

  const specversion = required(topic, headers, CE_HEADERS.specversion);
  if (specversion !== CE_SPECVERSION) {
    throw new InvalidCloudEventError(topic, `unsupported ce_specversion ${JSON.stringify(specversion)}`);
  }
  const id = required(topic, headers, CE_HEADERS.id);
  if (!UUID_PATTERN.test(id)) throw new InvalidCloudEventError(topic, 'ce_id is not a UUID');
  const source = required(topic, headers, CE_HEADERS.source);
  const type = required(topic, headers, CE_HEADERS.type);
  const parsedType = parseEventType(type);
  if (!parsedType) {
    throw new InvalidCloudEventError(
      topic,
      `ce_type ${JSON.stringify(type)} is not shopcore.<context>.<Name>.v<n>`,
    );
  }
  if (!belongsOn(topic, parsedType.context)) {
    throw new InvalidCloudEventError(topic, `a ${parsedType.context} event does not belong on this topic`);
  }
  const subject = required(topic, headers, CE_HEADERS.subject);
  const time = required(topic, headers, CE_HEADERS.time);
  if (!RFC3339_PATTERN.test(time) || Number.isNaN(Date.parse(time))) {
    throw new InvalidCloudEventError(topic, 'ce_time is not an RFC 3339 timestamp');
  }
  const contentType = required(topic, headers, CE_HEADERS.contentType);
  if (contentType.split(';')[0]!.trim().toLowerCase() !== CE_CONTENT_TYPE) {
    throw new InvalidCloudEventError(
      topic,
      `content-type ${JSON.stringify(contentType)} is not ${CE_CONTENT_TYPE}`,
    );
  }
  const traceparent = headerValue(topic, headers, CE_HEADERS.traceparent);

  if (message.value === null || message.value === undefined)
    throw new InvalidCloudEventError(topic, 'value is empty');
  let data: unknown;
  try {
    data = JSON.parse(text(message.value));
  } catch {
    throw new InvalidCloudEventError(topic, 'value is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidCloudEventError(topic, 'value is not a JSON object');
  }

  return {
    id,
    context: parsedType.context,
    type,
    source,
    subject,
    time,
    data: data as Record<string, unknown>,
    ...(traceparent && TRACEPARENT_PATTERN.test(traceparent) ? { traceparent } : {}),
  };
};
