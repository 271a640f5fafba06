import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../../test/support/wait.js';
import {
  type AuthorizeRequest,
  type AuthorizeResult,
  type PaymentProvider,
  ProviderUnavailableError,
} from '../../application/payment-provider.port.js';
import { FakePaymentProvider } from './fake.payment-provider.js';
import {
  type CircuitStateName,
  DEFAULT_RESILIENCE,
  RepeatedFailures,
  ResilientPaymentProvider,
} from './resilient.payment-provider.js';

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
  it('are the documented numbers: 5 s per attempt (above tok_slow’s 2 s), 3 attempts, breaker 5 → 30 s, repeats remembered 1 h', () => {
    expect(DEFAULT_RESILIENCE).toEqual({
      timeoutMs: 5_000,
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      breakerThreshold: 5,
      halfOpenAfterMs: 30_000,
      repeatWindowMs: 3_600_000,
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
    await waitFor('the trial call at the provider', async () => psp.calls.authorize === 16, 5_000, 1);
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

describe('RepeatedFailures (which failures are repeats)', () => {
  it('a key’s first failure is not a repeat, its next ones are, until it succeeds', () => {
    const repeats = new RepeatedFailures(60_000);
    expect(repeats.failed('authorize:a', 0)).toBe(false);
    expect(repeats.failed('authorize:a', 1_000)).toBe(true);
    expect(repeats.failed('authorize:b', 1_000)).toBe(false);
    expect(repeats.failed('capture:a', 1_000)).toBe(false); // another operation is another call
    repeats.succeeded('authorize:a');
    expect(repeats.failed('authorize:a', 2_000)).toBe(false);
  });

  it('forgets a key the window after its last failure; a key that keeps failing stays a repeat', () => {
    const repeats = new RepeatedFailures(60_000);
    repeats.failed('kept', 0);
    repeats.failed('idle', 0);
    for (let at = 50_000; at <= 500_000; at += 50_000) expect(repeats.failed('kept', at)).toBe(true);
    expect(repeats.failed('idle', 500_000)).toBe(false); // idle since 0: forgotten, counts again
    expect(repeats.size).toBe(2);
  });

  it('holds at most maxKeys keys, forgetting the one that failed least recently', () => {
    const repeats = new RepeatedFailures(60_000, 3);
    for (const key of ['a', 'b', 'c']) repeats.failed(key, 0);
    repeats.failed('a', 1); // a failed again: b is now the oldest
    repeats.failed('d', 2);
    expect(repeats.size).toBe(3);
    expect(repeats.failed('a', 3)).toBe(true);
    expect(repeats.failed('b', 3)).toBe(false);
  });
});

describe('ResilientPaymentProvider breaker: one payment failing again and again counts once (controllable clock)', () => {
  const start = new Date('2026-03-01T12:00:00Z');
  const at = (ms: number) => vi.setSystemTime(start.getTime() + ms);
  const setup = (options: Partial<typeof DEFAULT_RESILIENCE> = {}) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
    const psp = fake();
    const states: CircuitStateName[] = [];
    const resilient = new ResilientPaymentProvider(
      psp,
      { ...fast, ...options },
      { circuit: (s) => states.push(s) },
    );
    return { psp, resilient, states };
  };
  const fails = (resilient: ResilientPaymentProvider, req: AuthorizeRequest, reason = 'provider_error') =>
    expect(resilient.authorize(req)).rejects.toEqual(unavailable(reason));

  it('one tok_error payment retried 20 times (a worker) never opens it: every retry reaches the provider', async () => {
    const { psp, resilient, states } = setup();
    const stuck = request('tok_error');
    for (let i = 0; i < 20; i++) {
      at(i * 60_000);
      await fails(resilient, stuck);
    }
    expect(psp.calls.authorize).toBe(60); // 20 calls of 3 attempts, none refused by the breaker
    expect(resilient.circuitState).toBe('closed');
    expect(states).toEqual(['closed']);
    await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
  });

  it('failures of five different payments open it; the stuck one’s repeats between them neither count nor reset', async () => {
    const { resilient } = setup();
    const stuck = request('tok_error');
    await fails(resilient, stuck); // 1
    for (let n = 2; n <= 4; n++) {
      await fails(resilient, request('tok_error')); // n
      for (let i = 0; i < 3; i++) await fails(resilient, stuck);
    }
    expect(resilient.circuitState).toBe('closed');
    await fails(resilient, request('tok_error')); // 5
    expect(resilient.circuitState).toBe('open');
    await fails(resilient, stuck, 'circuit_open');
    await fails(resilient, request(), 'circuit_open');
  });

  it('an outage still opens it after five payments, while the worker retries payments that failed before', async () => {
    const { psp, resilient } = setup();
    const pending = [request(), request()];
    psp.setOutage(true);
    for (const req of pending) await fails(resilient, req, 'outage'); // 2 counted
    for (let round = 0; round < 5; round++) {
      for (const req of pending) await fails(resilient, req, 'outage'); // repeats
    }
    expect(resilient.circuitState).toBe('closed');
    for (let i = 0; i < 3; i++) await fails(resilient, request(), 'outage'); // 3, 4, 5
    expect(resilient.circuitState).toBe('open');
    const reached = psp.calls.authorize;
    for (const req of [...pending, request()]) await fails(resilient, req, 'circuit_open');
    expect(psp.calls.authorize).toBe(reached);
  });

  it('a payment that succeeded is forgotten: its next failure counts again', async () => {
    const { psp, resilient } = setup();
    const flaky = request();
    psp.failNext(3);
    await fails(resilient, flaky); // 1
    await expect(resilient.authorize(flaky)).resolves.toMatchObject({ outcome: 'authorized' }); // 0
    for (let i = 0; i < 4; i++) await fails(resilient, request('tok_error')); // 1..4
    expect(resilient.circuitState).toBe('closed');
    psp.failNext(3);
    await fails(resilient, flaky); // not a repeat any more: 5
    expect(resilient.circuitState).toBe('open');
  });

  it('a key idle for longer than repeatWindowMs counts again', async () => {
    const { resilient } = setup({ repeatWindowMs: 60_000 });
    const stuck = request('tok_error');
    await fails(resilient, stuck); // 1
    for (let i = 0; i < 3; i++) await fails(resilient, request('tok_error')); // 2..4
    at(59_000);
    await fails(resilient, stuck); // a repeat (refreshes it)
    expect(resilient.circuitState).toBe('closed');
    at(59_000 + 60_001);
    await fails(resilient, stuck); // forgotten: 5
    expect(resilient.circuitState).toBe('open');
  });

  describe('half-open: a trial call that is a payment which failed before', () => {
    /** the stuck payment fails; four more fail in an outage (open); 30 s pass */
    const openedByOutage = async () => {
      const ctx = setup();
      const stuck = request('tok_error');
      await fails(ctx.resilient, stuck); // 1
      ctx.psp.setOutage(true);
      const inOutage = [request(), request(), request(), request()];
      for (const req of inOutage) await fails(ctx.resilient, req, 'outage'); // 2..5
      expect(ctx.resilient.circuitState).toBe('open');
      at(30_000);
      return { ...ctx, stuck, inOutage };
    };

    it('does not keep it open for everyone: its failure lets the next shoppers through', async () => {
      const { psp, resilient, states, stuck } = await openedByOutage();
      psp.setOutage(false);
      await fails(resilient, stuck); // the trial: tok_error still fails, which says nothing of the provider
      expect(resilient.circuitState).toBe('closed');
      for (let i = 0; i < 5; i++) {
        await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
      }
      // and the success cleared the count: five first failures are needed again
      for (let i = 0; i < 4; i++) await fails(resilient, request('tok_error'));
      expect(resilient.circuitState).toBe('closed');
      expect(states).toEqual(['closed', 'open', 'half_open', 'closed']);
    });

    it('proves nothing either way: with the outage still on, the next first failure opens it again at once', async () => {
      const { psp, resilient, states, stuck } = await openedByOutage();
      await fails(resilient, stuck, 'outage'); // the trial, inconclusive
      expect(resilient.circuitState).toBe('closed');
      await fails(resilient, stuck, 'outage'); // another repeat: still nothing counted
      expect(resilient.circuitState).toBe('closed');
      await fails(resilient, request(), 'outage'); // one shopper's call fails: open again, not after five
      expect(resilient.circuitState).toBe('open');
      const reached = psp.calls.authorize;
      await fails(resilient, request(), 'circuit_open');
      expect(psp.calls.authorize).toBe(reached);
      expect(states).toEqual(['closed', 'open', 'half_open', 'closed', 'open']);
    });

    it('closes it when it succeeds (the provider is back)', async () => {
      const { psp, resilient, states, inOutage } = await openedByOutage();
      psp.setOutage(false);
      await expect(resilient.authorize(inOutage[0]!)).resolves.toMatchObject({ outcome: 'authorized' });
      expect(resilient.circuitState).toBe('closed');
      for (let i = 0; i < 4; i++) await fails(resilient, request('tok_error'));
      expect(resilient.circuitState).toBe('closed'); // the count was cleared
      expect(states).toEqual(['closed', 'open', 'half_open', 'closed']);
    });
  });
});

/**
 * Not the fake: a provider that, like Stripe's API v1, stores the first answer to an idempotency
 * key — a 500 included — and replays it to every retry with that key. A payment whose first call
 * met a 500 then fails on every retry, which must not open the breaker for everyone.
 */
class ReplayingProvider implements PaymentProvider {
  readonly name = 'replaying';
  readonly stored = new Map<string, 'ok' | '500'>();
  calls = 0;
  /** the keys whose first call the provider fails with a 500 */
  constructor(private readonly failFirstCallOf: Set<string>) {}
  acceptsToken(): boolean {
    return true;
  }
  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    this.calls++;
    const answer =
      this.stored.get(req.idempotencyKey) ?? (this.failFirstCallOf.has(req.idempotencyKey) ? '500' : 'ok');
    this.stored.set(req.idempotencyKey, answer);
    if (answer === '500') throw new ProviderUnavailableError('provider_error', 'replayed 500');
    return {
      outcome: 'authorized',
      reference: `ref-${req.idempotencyKey}`,
      amount: req.amount,
      brand: 'visa',
      last4: '4242',
    };
  }
  findAuthorization(): never {
    throw new Error('not used');
  }
  capture(): never {
    throw new Error('not used');
  }
  void(): never {
    throw new Error('not used');
  }
  refund(): never {
    throw new Error('not used');
  }
  verifyWebhook(): never {
    throw new Error('not used');
  }
}

describe('ResilientPaymentProvider breaker over a provider that replays a stored 500 (Stripe-like)', () => {
  it('counts the replayed payment once; five different payments meeting a 500 still open it', async () => {
    const stuck = request();
    const others = [request(), request(), request(), request()];
    const psp = new ReplayingProvider(new Set([stuck, ...others].map((r) => r.idempotencyKey)));
    const resilient = new ResilientPaymentProvider(psp, fast);
    for (let i = 0; i < 10; i++) {
      await expect(resilient.authorize(stuck)).rejects.toEqual(unavailable('provider_error'));
    }
    expect(psp.calls).toBe(30);
    expect(resilient.circuitState).toBe('closed');
    await expect(resilient.authorize(request())).resolves.toMatchObject({ outcome: 'authorized' });
    for (const req of others)
      await expect(resilient.authorize(req)).rejects.toEqual(unavailable('provider_error'));
    expect(resilient.circuitState).toBe('closed'); // four since the last success
    await expect(resilient.authorize(stuck)).rejects.toEqual(unavailable('provider_error'));
    expect(resilient.circuitState).toBe('closed'); // the stuck one again: a repeat
    const fifth = request();
    psp.stored.set(fifth.idempotencyKey, '500');
    await expect(resilient.authorize(fifth)).rejects.toEqual(unavailable('provider_error'));
    expect(resilient.circuitState).toBe('open');
  });
});
