import { describe, expect, it } from 'vitest';
import { backoffDelay, KeyedBackoff, retryPolicy } from './retry.js';

describe('backoffDelay (exponential, equal jitter)', () => {
  it('waits between half and all of base · 2^(n−1), never more than the maximum', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 5_000 });
      const third = backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 5_000 });
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(100);
      expect(third).toBeGreaterThanOrEqual(200);
      expect(third).toBeLessThanOrEqual(400);
      expect(backoffDelay(30, { baseDelayMs: 100, maxDelayMs: 5_000 })).toBeLessThanOrEqual(5_000);
      expect(backoffDelay(30, { baseDelayMs: 100, maxDelayMs: 5_000 })).toBeGreaterThanOrEqual(2_500);
    }
  });
});

describe('retryPolicy', () => {
  it('retries errors it accepts up to maxAttempts in all, reporting each retry, then throws the last', async () => {
    const retries: { attempt: number; delayMs: number }[] = [];
    const policy = retryPolicy({
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 4,
      retryOn: (err) => (err as Error).message.startsWith('transient'),
      onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }),
    });
    let calls = 0;
    await expect(
      policy.execute(() => {
        calls++;
        throw new Error(`transient ${calls}`);
      }),
    ).rejects.toThrow('transient 3');
    expect(calls).toBe(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    for (const r of retries) expect(r.delayMs).toBeLessThanOrEqual(4);
  });

  it('returns the first success and throws other errors at once', async () => {
    const policy = retryPolicy({
      maxAttempts: 5,
      baseDelayMs: 1,
      maxDelayMs: 2,
      retryOn: (e) => e === 'again',
    });
    let calls = 0;
    await expect(
      policy.execute(() => {
        calls++;
        if (calls < 3) throw 'again';
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      policy.execute(() => {
        calls++;
        throw new Error('fatal');
      }),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('with maxAttempts 1 tries once', async () => {
    let calls = 0;
    const policy = retryPolicy({ maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryOn: () => true });
    await expect(
      policy.execute(() => {
        calls++;
        throw new Error('x');
      }),
    ).rejects.toThrow('x');
    expect(calls).toBe(1);
  });
});

describe('KeyedBackoff', () => {
  it('waits longer after each failure of a key, independently per key, and forgets a key that succeeded', () => {
    const b = new KeyedBackoff<number>({ baseDelayMs: 100, maxDelayMs: 1_000 });
    const one = b.failed(1, 0);
    expect(one.failures).toBe(1);
    expect(one.delayMs).toBeGreaterThanOrEqual(50);
    expect(one.delayMs).toBeLessThanOrEqual(100);
    expect(b.waiting(1, one.delayMs - 1)).toBe(true);
    expect(b.waiting(1, one.delayMs)).toBe(false);
    expect(b.waiting(2, 0)).toBe(false);
    const two = b.failed(1, 0);
    expect(two.failures).toBe(2);
    expect(two.delayMs).toBeGreaterThanOrEqual(100);
    expect(two.delayMs).toBeLessThanOrEqual(200);
    for (let i = 0; i < 10; i++) expect(b.failed(1, 0).delayMs).toBeLessThanOrEqual(1_000);
    b.succeeded(1);
    expect(b.waiting(1, 0)).toBe(false);
    expect(b.failed(1, 0).failures).toBe(1);
  });
});
