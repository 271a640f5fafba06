import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one place tests wait. A test waits for a condition, never for a fixed time: `pollUntil` and
 * `waitFor` look again every `everyMs` until the condition holds or the deadline passed. A TTL is
 * waited out on a `ManualClock` (src/platform/clock.ts), not in real time. The only other pauses in
 * the tests are behaviour under test, and named so: a sampling rate (`sampleWhile`), a client's
 * retry back-off (`retryBackoff`), a slow client's body (`trickle` in body-limit.e2e).
 */

/**
 * Polls `probe` every `everyMs` until `done` accepts what it returned, or `timeoutMs` passed; returns
 * the last value either way, for the caller to assert on.
 */
export const pollUntil = async <T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(everyMs);
  }
};

/** Polls `check` every `everyMs` until it holds, or fails naming `what` after `timeoutMs`. */
export const waitFor = async (
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<void> => {
  if (!(await pollUntil(check, (ok) => ok, timeoutMs, everyMs)))
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
};

/**
 * Waits until the wall clock has moved past `since` (by default: now), so that whatever is created
 * next gets a later millisecond than whatever was created before the call ("newest first" orders).
 */
export const nextMillisecond = async (since = Date.now()): Promise<void> =>
  waitFor('the clock to tick', async () => Date.now() > since, 1_000, 1);

/**
 * Runs `probe` over and over, `everyMs` apart, until `stop()`, which returns every sample: a watch
 * kept on something (a stock row, /readyz, a pool) while the test acts. The pause is the sampling
 * rate, not a wait for anything.
 */
export const sampleWhile = <T>(probe: () => Promise<T>, everyMs: number) => {
  const samples: T[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      samples.push(await probe());
      if (on) await sleep(everyMs);
    }
  })();
  return {
    stop: async (): Promise<T[]> => {
      on = false;
      await loop;
      return samples;
    },
  };
};

/**
 * The pause a storefront makes before retrying a 503 with the same Idempotency-Key (docs/product/api.md): the
 * client behaviour the load drills play, not a wait. Exponential from `firstMs`, capped at `maxMs`,
 * with jitter (0.5–1.5×) so that a hundred shed callers do not come back at the same instant.
 */
export const retryBackoff = (attempt: number, { firstMs = 20, maxMs = 1_000 } = {}): Promise<void> =>
  sleep(Math.min(maxMs, firstMs * 2 ** attempt) * (0.5 + Math.random()));
