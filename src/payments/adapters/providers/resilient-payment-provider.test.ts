import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthorizeRequest } from '../../application/payment-provider.port.js';
import { FakePaymentProvider } from './fake-payment.provider.js';
import {
  type CircuitStateName,
  DEFAULT_RESILIENCE,
  ResilientPaymentProvider,
} from './resilient-payment-provider.js';

/**
 * The resilience around the provider, over the fake provider (its `calls` count what reached it).
 * The breaker measures `halfOpenAfter` with Date.now() (cockatiel 3, CircuitBreakerPolicy.execute:
 * `Date.now() - state.openedAt < state.backoff.duration`), so faking Date alone is a controllable
 * clock; timers stay real, and the retries' backoff is made tiny.
 */
const fast = { baseDelayMs: 1, maxDelayMs: 2 };
let seq = 0;
const request = (token = 'tok_visa'): AuthorizeRequest => {
  seq++;
  return {
    idempotencyKey: `pay-${seq}:authorize`,
    paymentId: `pay-${seq}`,
    orderId: `order-${seq}`,
    token,
    amount: 1_000,
    currency: 'EUR',
  };
};
const fake = (slowMs?: number) =>
  new FakePaymentProvider({ webhookSecret: 'resilience-test-secret', ...(slowMs ? { slowMs } : {}) });
const unavailable = (reason: string) => expect.objectContaining({ name: 'ProviderUnavailableError', reason });

afterEach(() => {
  vi.useRealTimers();
});

describe('ResilientPaymentProvider defaults', () => {
  it('are the documented numbers: 5 s per attempt (above tok_slow’s 2 s), 3 attempts, breaker 5 → 30 s', () => {
    expect(DEFAULT_RESILIENCE).toEqual({
      timeoutMs: 5_000,
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      breakerThreshold: 5,
      halfOpenAfterMs: 30_000,
    });
  });
});

describe('ResilientPaymentProvider retries', () => {
  it('retries an unavailable provider with backoff and succeeds once it answers', async () => {
    const psp = fake();
    const attempts: string[] = [];
    const resilient = new ResilientPaymentProvider(psp, fast, {
      attempt: (operation, outcome) => attempts.push(`${operation}:${outcome}`),
    });
    psp.failNext(2);
    await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
    expect(psp.calls.authorize).toBe(3);
    expect(attempts).toEqual(['authorize:unavailable', 'authorize:unavailable', 'authorize:success']);
  });

  it('never retries a decline (an answer, not a failure), nor counts it against the breaker', async () => {
    const psp = fake();
    const resilient = new ResilientPaymentProvider(psp, fast);
    for (let i = 0; i < 8; i++) {
      await expect(resilient.authorize(request('tok_declined'))).resolves.toMatchObject({
        outcome: 'declined',
      });
    }
    expect(psp.calls.authorize).toBe(8);
    expect(resilient.circuitState).toBe('closed');
  });

  it('gives up after 3 attempts with the provider’s reason', async () => {
    const psp = fake();
    const resilient = new ResilientPaymentProvider(psp, fast);
    await expect(resilient.authorize(request('tok_error'))).rejects.toEqual(unavailable('provider_error'));
    expect(psp.calls.authorize).toBe(3);
  });

  it('times out a slow attempt; the retry with the same key gets the authorization made meanwhile, once', async () => {
    const psp = fake(60);
    const attempts: string[] = [];
    const resilient = new ResilientPaymentProvider(
      psp,
      { ...fast, timeoutMs: 25, maxAttempts: 4 },
      { attempt: (_operation, outcome) => attempts.push(outcome) },
    );
    const req = request('tok_slow');
    const answer = await resilient.authorize(req);
    expect(answer).toMatchObject({ outcome: 'authorized' });
    expect(attempts[0]).toBe('timeout');
    expect(attempts.at(-1)).toBe('success');
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
  });

  it('a call whose every attempt times out is unavailable (timeout)', async () => {
    const psp = fake(200);
    const resilient = new ResilientPaymentProvider(psp, { ...fast, timeoutMs: 10, maxAttempts: 2 });
    await expect(resilient.authorize(request('tok_slow'))).rejects.toEqual(unavailable('timeout'));
  });
});

describe('ResilientPaymentProvider circuit breaker (controllable clock)', () => {
  const start = new Date('2026-03-01T12:00:00Z');

  const opened = async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
    const psp = fake(30);
    const states: CircuitStateName[] = [];
    const resilient = new ResilientPaymentProvider(psp, fast, { circuit: (s) => states.push(s) });
    psp.setOutage(true);
    for (let i = 0; i < 5; i++) {
      await expect(resilient.authorize(request())).rejects.toEqual(unavailable('outage'));
    }
    return { psp, resilient, states };
  };

  it('opens after 5 consecutive failed calls; then fails fast without reaching the provider', async () => {
    const { psp, resilient, states } = await opened();
    expect(psp.calls.authorize).toBe(15); // 5 calls of 3 attempts each
    expect(resilient.circuitState).toBe('open');
    expect(states).toEqual(['closed', 'open']);
    for (let i = 0; i < 10; i++) {
      await expect(resilient.authorize(request())).rejects.toEqual(unavailable('circuit_open'));
      await expect(
        resilient.refund({
          idempotencyKey: 'r',
          reference: 'x',
          amount: 1,
          currency: 'EUR',
          reason: 'r',
          merchantReference: 'r',
        }),
      ).rejects.toEqual(unavailable('circuit_open'));
    }
    vi.setSystemTime(start.getTime() + 29_999);
    await expect(resilient.authorize(request())).rejects.toEqual(unavailable('circuit_open'));
    expect(psp.calls.authorize).toBe(15);
    expect(psp.calls.refund).toBe(0);
  });

  it('after 30 s lets exactly one trial call through; its success closes the breaker', async () => {
    const { psp, resilient, states } = await opened();
    psp.setOutage(false);
    vi.setSystemTime(start.getTime() + 30_000);
    // the trial is tok_slow (30 ms): while it is in flight, the others wait for its verdict
    const trial = resilient.authorize(request('tok_slow'));
    const waiting = [resilient.authorize(request()), resilient.authorize(request())];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(resilient.circuitState).toBe('half_open');
    expect(psp.calls.authorize).toBe(16);
    await expect(trial).resolves.toMatchObject({ outcome: 'authorized' });
    expect(resilient.circuitState).toBe('closed');
    await expect(Promise.all(waiting)).resolves.toMatchObject([
      { outcome: 'authorized' },
      { outcome: 'authorized' },
    ]);
    expect(psp.calls.authorize).toBe(18);
    expect(states).toEqual(['closed', 'open', 'half_open', 'closed']);
  });

  it('a failed trial opens it again for another 30 s', async () => {
    const { psp, resilient, states } = await opened();
    vi.setSystemTime(start.getTime() + 30_000);
    await expect(resilient.authorize(request())).rejects.toEqual(unavailable('outage'));
    expect(psp.calls.authorize).toBe(18); // one trial call (with its attempts)
    expect(resilient.circuitState).toBe('open');
    await expect(resilient.authorize(request())).rejects.toEqual(unavailable('circuit_open'));
    expect(psp.calls.authorize).toBe(18);
    psp.setOutage(false);
    vi.setSystemTime(start.getTime() + 60_000);
    await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
    expect(states).toEqual(['closed', 'open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('counts calls, not attempts: a call whose retry succeeds resets the count', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const psp = fake();
    const resilient = new ResilientPaymentProvider(psp, fast);
    for (let i = 0; i < 4; i++) await expect(resilient.authorize(request('tok_error'))).rejects.toThrow();
    psp.failNext(2);
    await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
    for (let i = 0; i < 4; i++) await expect(resilient.authorize(request('tok_error'))).rejects.toThrow();
    expect(resilient.circuitState).toBe('closed');
    await expect(resilient.authorize(request('tok_error'))).rejects.toThrow();
    expect(resilient.circuitState).toBe('open');
  });
});
