import { expect } from 'vitest';
import { eventContractOf } from '../../src/event-contracts.js';
import type { IntegrationEvent } from '../../src/platform/messaging/integration-event.js';
import { rowToEvent } from '../../src/platform/outbox/outbox.store.js';
import { loadAsyncApi, schemaValidator } from '../../tools/asyncapi.js';
import type { TestApp } from './app.js';
import type { JourneyResult, JourneyShop } from './journey.js';
import type { Received } from './kafka.js';
import { pollUntil } from './wait.js';

type Headers = Record<string, string>;

/**
 * Everything the journey left behind that a redelivered event could change: the order as staff see it
 * (status, history, payment, shipments), the shipments, the stock rows and ledger of its SKUs, the
 * payment's ledger, and how many events, inbox rows and dead letters exist.
 */
export const journeySnapshot = async (t: TestApp, shop: JourneyShop, journey: JourneyResult) => {
  const admin: Headers = shop.admin;
  const get = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: admin })).json();
  const db = t.runtime.platform.dataSource;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params))[0].n);
  return {
    order: await get(`/api/v1/admin/orders/${journey.orderId}`),
    shipments: await get(`/api/v1/admin/shipments?orderId=${journey.orderId}`),
    stock: await Promise.all(shop.skus.map((sku) => get(`/api/v1/admin/inventory/${sku}`))),
    movements: await Promise.all(shop.skus.map((sku) => get(`/api/v1/admin/inventory/${sku}/movements`))),
    paymentOperations: await count(
      'SELECT count(*) AS n FROM payment_operations o JOIN payments p ON p.id = o.payment_id WHERE p.order_id = $1',
      [journey.orderId],
    ),
    couponUses: await count('SELECT used_count AS n FROM pricing_promotions WHERE code = $1', [shop.coupon]),
    outbox: await count('SELECT count(*) AS n FROM outbox'),
    inbox: await count('SELECT count(*) AS n FROM inbox'),
    deadLetters: await count('SELECT count(*) AS n FROM dead_letters'),
  };
};

/** The journey's events as the outbox recorded them, in commit order. */
export const journeyEvents = async (t: TestApp, journey: JourneyResult): Promise<IntegrationEvent[]> => {
  const rows = await t.runtime.platform.dataSource.query(
    `SELECT * FROM outbox
     WHERE data->>'orderId' = $1 OR subject = $2 OR subject = ANY($3::text[])
     ORDER BY seq`,
    [journey.orderId, journey.customer.id, journey.shipmentIds],
  );
  return rows.map(rowToEvent);
};

/** Handled, duplicate and skipped deliveries so far, summed over every consumer group. */
export const consumerDeliveries = async (t: TestApp) => {
  const metric = await t.runtime.platform.metrics.consumerProcessed.get();
  const sum = (outcome?: string) =>
    metric.values.filter((v) => !outcome || v.labels.outcome === outcome).reduce((a, v) => a + v.value, 0);
  return {
    all: sum(),
    processed: sum('processed'),
    duplicate: sum('duplicate'),
    deadLettered: sum('dead_lettered'),
  };
};

/** How many deliveries (one per consumer group reading the event's topic) `events` make. */
export const deliveriesOf = (t: TestApp, events: readonly { context: string }[]) => {
  const groups = t.runtime.modules.lifecycle.consumers;
  return events.reduce((n, e) => n + groups.filter((g) => g.contexts.includes(e.context)).length, 0);
};

/** Waits until every outbox row is published and every consumer group got every event of the database. */
export const waitUntilQuiet = async (t: TestApp) => {
  const db = t.runtime.platform.dataSource;
  const settled = await pollUntil(
    async () => {
      const rows: { context: string; published: boolean }[] = await db.query(
        'SELECT context, published_at IS NOT NULL AS published FROM outbox',
      );
      const delivered = await consumerDeliveries(t);
      return {
        unpublished: rows.filter((r) => !r.published).length,
        due: deliveriesOf(t, rows),
        ...delivered,
      };
    },
    (s) => s.unpublished === 0 && s.all >= s.due,
    20_000,
  );
  expect(settled.unpublished, 'every outbox row published').toBe(0);
  expect(settled.all, 'every consumer group got every event').toBeGreaterThanOrEqual(settled.due);
};

/** The `ce_type`s one journey (two shipments) publishes, with how often; the ones ever expected. */
export const JOURNEY_TYPES: Record<string, number> = {
  'shopcore.identity.CustomerRegistered.v1': 1,
  'shopcore.orders.OrderPlaced.v1': 1,
  'shopcore.inventory.InventoryReserved.v1': 1,
  'shopcore.pricing.PromotionRedeemed.v1': 1,
  'shopcore.payments.PaymentAuthorized.v1': 1,
  'shopcore.orders.OrderConfirmed.v1': 1,
  'shopcore.fulfilment.ShipmentCreated.v1': 2,
  'shopcore.fulfilment.ShipmentPicked.v1': 2,
  'shopcore.fulfilment.ShipmentPacked.v1': 2,
  'shopcore.fulfilment.ShipmentDispatched.v1': 2,
  'shopcore.orders.OrderShipped.v1': 1,
  'shopcore.payments.PaymentCaptured.v1': 1,
  'shopcore.fulfilment.ShipmentDelivered.v1': 2,
  'shopcore.orders.OrderDelivered.v1': 1,
};

export const typeCounts = (types: readonly string[]) =>
  types.reduce<Record<string, number>>((acc, type) => {
    acc[type] = (acc[type] ?? 0) + 1;
    return acc;
  }, {});

/** docs/asyncapi.yaml and its compiled schemas, read once per test file. */
let asyncapi:
  | { model: ReturnType<typeof loadAsyncApi>; valid: ReturnType<typeof schemaValidator> }
  | undefined;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks one message read from Kafka against docs/product/events.md and docs/asyncapi.yaml: the topic of its
 * context (under the prefix), the CloudEvents headers of binary mode (and the message's headers schema),
 * key = `ce_subject`, the data against the message's payload schema and the zod contract, and no
 * personal data (`personal`: the strings a leak would show, e.g. the customer's email and address).
 */
export const expectValidEvent = (
  message: Received,
  prefix: string,
  region: string,
  personal: readonly string[],
): void => {
  asyncapi ??= { model: loadAsyncApi(), valid: schemaValidator() };
  const { model, valid } = asyncapi;
  const h = message.headers;
  const where = `${h.ce_type} ${h.ce_id}`;
  const context = /^shopcore\.([a-z]+)\.[A-Za-z]+\.v1$/.exec(h.ce_type ?? '')?.[1];
  expect(context, `${where}: ce_type`).toBeDefined();
  expect(message.topic, where).toBe(`${prefix}${context}.events`);
  expect(h, where).toMatchObject({
    ce_specversion: '1.0',
    ce_source: `urn:shopcore:${region}:${context}`,
    'content-type': 'application/json',
  });
  expect(h.ce_id, where).toMatch(UUID);
  expect(new Date(h.ce_time!).toISOString(), where).toBe(h.ce_time);
  expect(message.key, `${where}: key = subject`).toBe(h.ce_subject);
  const documented = model.messages.get(h.ce_type!);
  expect(documented, `${where}: described in docs/asyncapi.yaml`).toBeDefined();
  expect(valid(documented!.headers, h), `${where}: headers`).toEqual([]);
  const data = JSON.parse(message.value ?? 'null');
  expect(valid(documented!.payload, data), `${where}: data against docs/asyncapi.yaml`).toEqual([]);
  expect(
    eventContractOf(h.ce_type!)?.schema.safeParse(data).success,
    `${where}: data against the contract`,
  ).toBe(true);
  for (const secret of personal) {
    expect(message.value!.toLowerCase(), `${where}: no personal data`).not.toContain(secret.toLowerCase());
    for (const value of Object.values(h))
      expect(value.toLowerCase(), where).not.toContain(secret.toLowerCase());
  }
};
