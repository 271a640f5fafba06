import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { openJourneyShop, runJourney } from '../support/journey.js';
import { missing } from '../support/skip.js';

const ADMIN = { email: 'journey-admin@shop.example', password: 'admin-password-1' };

describe.skipIf(missing('postgres'))('the order journey in embedded mode (events in-process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => t?.close());

  it('register → browse → search → cart → coupon → shipping → order → ship → deliver', async () => {
    expect(t.runtime.platform.publisher.kind).toBe('in-process');
    const shop = await openJourneyShop(t, ADMIN);
    const result = await runJourney(t, shop);
    expect(result.shipmentIds).toHaveLength(2);
  });
});
