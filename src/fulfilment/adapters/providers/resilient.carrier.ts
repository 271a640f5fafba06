import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { retryPolicy } from '../../../platform/resilience/retry.js';
import type { Carrier, CarrierBooking, CarrierLabel } from '../../application/carrier.port.js';
import { CarrierUnavailableError } from '../../application/carrier.port.js';

export interface CarrierResilience {
  /** one attempt's budget, ms */
  timeoutMs: number;
  /** attempts in all, retried on unavailable only */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CARRIER_RESILIENCE: CarrierResilience = {
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
};

/**
 * A carrier behind a timeout per attempt and jittered retries (cockatiel, ADR 0014). Safe to retry:
 * every booking carries its idempotency key. What leaves is an answer or a CarrierUnavailableError.
 */
export class ResilientCarrier implements Carrier {
  readonly name: string;
  private readonly attempt;
  private readonly retry;

  constructor(
    private readonly inner: Carrier,
    opts: Partial<CarrierResilience> = {},
  ) {
    const o = { ...DEFAULT_CARRIER_RESILIENCE, ...opts };
    this.name = inner.name;
    this.attempt = timeout(o.timeoutMs, TimeoutStrategy.Aggressive);
    this.retry = retryPolicy({
      maxAttempts: o.maxAttempts,
      baseDelayMs: o.baseDelayMs,
      maxDelayMs: o.maxDelayMs,
      retryOn: (err) => err instanceof CarrierUnavailableError,
    });
  }

  book(booking: CarrierBooking): Promise<CarrierLabel> {
    return this.retry.execute(async () => {
      try {
        return await this.attempt.execute(() => this.inner.book(booking));
      } catch (err) {
        if (err instanceof TaskCancelledError) throw new CarrierUnavailableError('timeout');
        throw err;
      }
    });
  }
}
