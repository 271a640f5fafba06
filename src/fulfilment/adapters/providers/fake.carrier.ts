import { createHash } from 'node:crypto';
import type { Carrier, CarrierBooking, CarrierLabel } from '../../application/carrier.port.js';
import { CarrierUnavailableError } from '../../application/carrier.port.js';

/**
 * The built-in carrier (docs/product/spec.md): books every parcel at once and issues a tracking number derived from
 * the booking's idempotency key — `FK` and 12 digits, the last a check digit — so booking the same
 * key again (a retried or a concurrent dispatch) returns the same label, as real carriers' idempotent
 * APIs do. `outage` (drills, tests) makes every booking fail as unavailable.
 */
export class FakeCarrier implements Carrier {
  readonly name = 'fake';
  private down: boolean;
  /** bookings made, by key (what the fake carrier "knows") */
  private readonly booked = new Map<string, CarrierLabel>();

  constructor(opts: { outage?: boolean } = {}) {
    this.down = opts.outage ?? false;
  }

  /** Turns the outage drill on or off. */
  setOutage(on: boolean): void {
    this.down = on;
  }

  /** How many distinct parcels it was asked to collect. */
  get bookings(): number {
    return this.booked.size;
  }

  async book(booking: CarrierBooking): Promise<CarrierLabel> {
    if (this.down) throw new CarrierUnavailableError('outage');
    const known = this.booked.get(booking.idempotencyKey);
    if (known) return known;
    const label = { carrier: this.name, trackingNumber: fakeTrackingNumber(booking.idempotencyKey) };
    this.booked.set(booking.idempotencyKey, label);
    return label;
  }
}

/** `FK` + 11 digits from the key's SHA-256 + a Luhn check digit. */
export const fakeTrackingNumber = (key: string): string => {
  const hash = createHash('sha256').update(key).digest();
  let digits = '';
  for (let i = 0; digits.length < 11; i++) digits += String(hash[i]! % 10);
  return `FK${digits}${luhn(digits)}`;
};

const luhn = (digits: string): number => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
};
