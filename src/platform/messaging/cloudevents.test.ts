import { describe, expect, it } from 'vitest';
import {
  type CloudEventKafkaMessage,
  fromKafkaMessage,
  InvalidCloudEventError,
  parseEventType,
  toKafkaMessage,
} from './cloudevents.js';
import type { IntegrationEvent } from './integration-event.js';

const event = (over: Partial<IntegrationEvent> = {}): IntegrationEvent => ({
  id: '0b9c6f8e-3f0c-4a4e-9d3e-2f7f1f1d2a10',
  context: 'orders',
  type: 'shopcore.orders.OrderPlaced.v1',
  source: 'urn:shopcore:eu:orders',
  subject: 'ord_123',
  time: '2026-01-02T03:04:05.678Z',
  data: { orderId: 'ord_123', number: 'EU-1001', total: 4990, lines: [{ sku: 'A', quantity: 2 }] },
  ...over,
});

const withHeaders = (message: CloudEventKafkaMessage, headers: Record<string, string | undefined>) => ({
  ...message,
  headers: { ...message.headers, ...headers },
});

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidCloudEventError);
    return (err as InvalidCloudEventError).reason;
  }
  throw new Error('expected an InvalidCloudEventError');
};

describe('toKafkaMessage', () => {
  it('writes the CloudEvents binary mode of docs/product/events.md: key = subject, value = JSON data, ce_* headers', () => {
    const e = event();
    expect(toKafkaMessage(e)).toEqual({
      key: 'ord_123',
      value: JSON.stringify(e.data),
      headers: {
        ce_specversion: '1.0',
        ce_id: e.id,
        ce_source: 'urn:shopcore:eu:orders',
        ce_type: 'shopcore.orders.OrderPlaced.v1',
        ce_subject: 'ord_123',
        ce_time: '2026-01-02T03:04:05.678Z',
        'content-type': 'application/json',
      },
    });
  });

  it('adds traceparent only when the event carries one', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(toKafkaMessage(event({ traceparent })).headers.traceparent).toBe(traceparent);
    expect(toKafkaMessage(event())).not.toHaveProperty('headers.traceparent');
  });
});

describe('fromKafkaMessage', () => {
  it('reads back what toKafkaMessage wrote, with the context taken from ce_type', () => {
    const e = event({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    expect(fromKafkaMessage('eu.orders.events', toKafkaMessage(e))).toEqual(e);
  });

  it('accepts Buffer headers and values as kafkajs delivers them', () => {
    const e = event();
    const m = toKafkaMessage(e);
    const buffers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(
      fromKafkaMessage('orders.events', {
        key: Buffer.from(m.key),
        value: Buffer.from(m.value),
        headers: buffers,
      }),
    ).toEqual(e);
  });

  it.each(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'content-type'])(
    'rejects a message without %s',
    (header) => {
      const m = toKafkaMessage(event());
      const { [header]: _dropped, ...headers } = m.headers;
      expect(reasonOf(() => fromKafkaMessage('orders.events', { ...m, headers }))).toContain(header);
    },
  );

  it.each([
    ['ce_specversion', '0.3', /specversion/],
    ['ce_id', 'not-a-uuid', /UUID/],
    ['ce_type', 'OrderPlaced', /ce_type/],
    ['ce_type', 'shopcore.orders.OrderPlaced', /ce_type/],
    ['ce_type', 'shopcore.payments.PaymentCaptured.v1', /does not belong/],
    ['ce_time', 'yesterday', /RFC 3339/],
    ['ce_time', '2026-01-02 03:04:05', /RFC 3339/],
    ['content-type', 'text/plain', /content-type/],
  ])('rejects %s = %j', (header, value, reason) => {
    const m = withHeaders(toKafkaMessage(event()), { [header]: value });
    expect(reasonOf(() => fromKafkaMessage('orders.events', m))).toMatch(reason);
  });

  it('accepts a content-type with parameters and an RFC 3339 offset', () => {
    const m = withHeaders(toKafkaMessage(event()), {
      'content-type': 'application/json; charset=utf-8',
      ce_time: '2026-01-02T04:04:05+01:00',
    });
    expect(fromKafkaMessage('orders.events', m).time).toBe('2026-01-02T04:04:05+01:00');
  });

  it('rejects a repeated ce_* header', () => {
    const m = toKafkaMessage(event());
    const headers = { ...m.headers, ce_id: [m.headers.ce_id!, m.headers.ce_id!] };
    expect(reasonOf(() => fromKafkaMessage('orders.events', { ...m, headers }))).toMatch(/appears 2 times/);
  });

  it.each([
    ['not JSON', '{"orderId":', /not JSON/],
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
  ])('rejects a value that is %s', (_what, value, reason) => {
    const m = { ...toKafkaMessage(event()), value };
    expect(reasonOf(() => fromKafkaMessage('orders.events', m))).toMatch(reason);
  });

  it('rejects an empty value', () => {
    const m = { ...toKafkaMessage(event()), value: null };
    expect(reasonOf(() => fromKafkaMessage('orders.events', m))).toMatch(/empty/);
  });

  it('drops a malformed traceparent instead of rejecting the event', () => {
    const m = withHeaders(toKafkaMessage(event()), { traceparent: 'garbage' });
    expect(fromKafkaMessage('orders.events', m)).not.toHaveProperty('traceparent');
  });

  it('also reads messages from the dead-letter topic', () => {
    expect(fromKafkaMessage('orders.events.dlq', toKafkaMessage(event())).context).toBe('orders');
  });
});

describe('parseEventType', () => {
  it('splits shopcore.<context>.<Name>.v<n>', () => {
    expect(parseEventType('shopcore.fulfilment.ShipmentCreated.v2')).toEqual({
      context: 'fulfilment',
      name: 'ShipmentCreated',
      version: 2,
    });
    expect(parseEventType('acme.orders.OrderPlaced.v1')).toBeNull();
  });
});
