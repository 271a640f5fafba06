import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from './timeout.js';

const never = new Promise<never>(() => {});

describe('withTimeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers what the promise settles with before the time is up', async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000)).resolves.toBe(42);
  });

  it('passes on the promise’s own failure unchanged', async () => {
    const failure = new Error('refused');
    await expect(withTimeout(Promise.reject(failure), 1_000)).rejects.toBe(failure);
  });

  it('rejects with the given message once the time is up', async () => {
    const answer = expect(withTimeout(never, 1_000, 'kafka health check timed out')).rejects.toThrow(
      /^kafka health check timed out$/,
    );
    await vi.advanceTimersByTimeAsync(999);
    let settled = false;
    void answer.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await answer;
  });

  it('says how long it waited when no message is given', async () => {
    const answer = expect(withTimeout(never, 250)).rejects.toThrow('timed out after 250 ms');
    await vi.advanceTimersByTimeAsync(250);
    await answer;
  });
});
