import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { type JourneyResult, type JourneyShop, openJourneyShop, runJourney } from '../../support/journey.js';
import {
  consumerDeliveries,
  deliveriesOf,
  JOURNEY_TYPES,
  journeyEvents,
  journeySnapshot,
  typeCounts,
  waitUntilQuiet,
} from '../../support/journey-checks.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'journey-admin@shop.example', password: 'admin-password-1' };

describe.skipIf(missing('postgres'))('the order journey in embedded mode (events in-process)', () => {
  let t: TestApp;
  let shop: JourneyShop;
  let journey: JourneyResult;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => t?.close());

  it('register → browse → search → cart → coupon → shipping → order → ship → deliver', async () => {
    expect(t.runtime.platform.publisher.kind).toBe('in-process');
    shop = await openJourneyShop(t, ADMIN);
    journey = await runJourney(t, shop);
    await waitUntilQuiet(t);
    const events = await journeyEvents(t, journey);
    expect(typeCounts(events.map((e) => e.type))).toEqual(JOURNEY_TYPES);
    expect((await consumerDeliveries(t)).deadLettered).toBe(0);
  });

  it('redelivering every event of the journey (same ce_id) changes nothing', async () => {
    expect(journey, 'the journey ran').toBeDefined();
    await waitUntilQuiet(t);
    const before = await journeySnapshot(t, shop, journey);
    const events = await journeyEvents(t, journey);
    const counted = await consumerDeliveries(t);
    // the in-process bus hands each event to every consumer group again, as the relay would
    await t.runtime.platform.publisher.publish(events);
    const after = await consumerDeliveries(t);
    expect(after.all - counted.all).toBe(deliveriesOf(t, events));
    expect(after.processed).toBe(counted.processed);
    expect(after.duplicate).toBeGreaterThan(counted.duplicate);
    expect(await journeySnapshot(t, shop, journey)).toEqual(before);
  });
});
