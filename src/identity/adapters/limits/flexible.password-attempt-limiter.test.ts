import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountKey, FlexiblePasswordAttemptLimiter } from './flexible.password-attempt-limiter.js';

/** The in-memory store (embedded mode, and the stand-in while Redis is away) on a fake clock. */
describe('FlexiblePasswordAttemptLimiter (memory)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limiter = () => new FlexiblePasswordAttemptLimiter({ maxFailures: 3, windowSeconds: 900 });
  const attempts = async (l: FlexiblePasswordAttemptLimiter, account: string, n: number) => {
    const verdicts = [];
    for (let i = 0; i < n; i++) verdicts.push(await l.attempt(account));
    return verdicts;
  };

  it('allows maxFailures attempts per account, then refuses until the window that opened with the first ends', async () => {
    const l = limiter();
    expect((await attempts(l, 'ada@example.com', 3)).every((v) => v.allowed)).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(await l.attempt('ada@example.com')).toEqual({ allowed: false, retryAfterSeconds: 840 });
    // refused attempts do not push the end of the window out
    vi.advanceTimersByTime(839_000);
    expect(await l.attempt('ada@example.com')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    vi.advanceTimersByTime(1_000);
    expect((await l.attempt('ada@example.com')).allowed).toBe(true);
  });

  it('counts each account on its own', async () => {
    const l = limiter();
    await attempts(l, 'ada@example.com', 4);
    expect((await l.attempt('ada@example.com')).allowed).toBe(false);
    expect((await l.attempt('bob@example.com')).allowed).toBe(true);
  });

  it('starts the count again after a success', async () => {
    const l = limiter();
    await attempts(l, 'ada@example.com', 3);
    await l.succeeded('ada@example.com');
    expect((await attempts(l, 'ada@example.com', 3)).every((v) => v.allowed)).toBe(true);
    expect((await l.attempt('ada@example.com')).allowed).toBe(false);
  });

  it('names accounts by a hash: the key holds no part of the email', () => {
    const key = accountKey('ada.lovelace@example.com');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('ada');
    expect(key).not.toContain('example');
    expect(accountKey('ada.lovelace@example.com')).toBe(key);
    expect(accountKey('bob@example.com')).not.toBe(key);
  });
});
