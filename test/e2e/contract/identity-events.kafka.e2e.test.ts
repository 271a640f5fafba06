import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { consumeUntil } from '../../support/kafka.js';
import { missing } from '../../support/skip.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.skipIf(missing('postgres', 'kafka'))('the app with KAFKA_BROKERS set', () => {
  const prefix = `e2e${randomBytes(3).toString('hex')}.`;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ KAFKA_TOPIC_PREFIX: prefix }, { kafka: true });
  });
  afterAll(async () => t?.close());

  it('publishes CustomerRegistered on identity.events with the CloudEvents headers of docs/product/events.md', async () => {
    const email = `kafka${Date.now()}@example.com`;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json', traceparent },
      payload: JSON.stringify({ email, password: 'a long password', name: 'Kafka Reader' }),
    });
    expect(res.statusCode).toBe(201);
    const customerId = res.json().customer.id as string;
    expect(t.runtime.platform.publisher.kind).toBe('kafka');

    const kafka = new Kafka({
      clientId: 'e2e-reader',
      brokers: inject('kafkaBrokers')!.split(','),
      logLevel: logLevel.NOTHING,
    });
    const received = await consumeUntil(kafka, [`${prefix}identity.events`], (msgs) =>
      msgs.some((m) => m.headers.ce_subject === customerId),
    );
    const message = received.find((m) => m.headers.ce_subject === customerId)!;
    expect(message.topic).toBe(`${prefix}identity.events`);
    expect(message.key).toBe(customerId);
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'shopcore.identity.CustomerRegistered.v1',
      ce_source: 'urn:shopcore:eu:identity',
      ce_subject: customerId,
      'content-type': 'application/json',
      traceparent,
    });
    expect(message.headers.ce_id).toMatch(UUID);
    expect(new Date(message.headers.ce_time!).toISOString()).toBe(message.headers.ce_time);
    expect(JSON.parse(message.value!)).toEqual({ customerId, region: 'eu' });
    expect(message.value).not.toContain(email);

    const [row] = await t.runtime.platform.dataSource.query(
      'SELECT id, published_at FROM outbox WHERE subject = $1',
      [customerId],
    );
    expect(row.id).toBe(message.headers.ce_id);
    expect(row.published_at).not.toBeNull();
  });

  it('reports the broker up in /readyz', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.json().checks.broker).toBe('up');
  });
});
