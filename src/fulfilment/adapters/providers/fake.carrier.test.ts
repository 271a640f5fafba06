import { describe, expect, it } from 'vitest';
import { CarrierUnavailableError } from '../../application/carrier.port.js';
import { FakeCarrier, fakeTrackingNumber } from './fake.carrier.js';
import { ResilientCarrier } from './resilient.carrier.js';

const booking = (key: string) => ({
  idempotencyKey: key,
  shipmentId: 's',
  orderNumber: 'EU-000001',
  warehouseId: 'w',
  lines: [{ sku: 'A', quantity: 1 }],
  address: { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' },
});

/** Luhn over all digits (the check digit included) is 0 mod 10. */
const luhnValid = (digits: string) =>
  [...digits]
    .reverse()
    .map(Number)
    .reduce((sum, d, i) => sum + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0) %
    10 ===
  0;

describe('the fake carrier', () => {
  it('issues one tracking number per booking key: FK, 11 digits and a Luhn check digit', async () => {
    const carrier = new FakeCarrier();
    const a = await carrier.book(booking('s1:dispatch'));
    expect(a).toEqual({ carrier: 'fake', trackingNumber: fakeTrackingNumber('s1:dispatch') });
    expect(a.trackingNumber).toMatch(/^FK[0-9]{12}$/);
    expect(luhnValid(a.trackingNumber.slice(2))).toBe(true);
    expect(await carrier.book(booking('s1:dispatch'))).toEqual(a);
    expect((await carrier.book(booking('s2:dispatch'))).trackingNumber).not.toBe(a.trackingNumber);
    expect(carrier.bookings).toBe(2);
  });

  it('fails every booking as unavailable during an outage, and books nothing', async () => {
    const carrier = new FakeCarrier({ outage: true });
    await expect(carrier.book(booking('k'))).rejects.toBeInstanceOf(CarrierUnavailableError);
    expect(carrier.bookings).toBe(0);
    carrier.setOutage(false);
    await expect(carrier.book(booking('k'))).resolves.toMatchObject({ carrier: 'fake' });
  });

  it('is retried behind the resilient wrapper, and a slow carrier times out as unavailable', async () => {
    let calls = 0;
    const flaky = {
      name: 'flaky',
      book: async () => {
        calls += 1;
        if (calls < 3) throw new CarrierUnavailableError('5xx');
        return { carrier: 'flaky', trackingNumber: 'T1' };
      },
    };
    const resilient = new ResilientCarrier(flaky, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    await expect(resilient.book(booking('k'))).resolves.toEqual({ carrier: 'flaky', trackingNumber: 'T1' });
    expect(calls).toBe(3);
    const slow = new ResilientCarrier(
      { name: 'slow', book: () => new Promise(() => {}) },
      { timeoutMs: 20, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    );
    await expect(slow.book(booking('k'))).rejects.toMatchObject({ reason: 'timeout' });
  });
});
