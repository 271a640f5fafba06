import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` every `everyMs` until `done` accepts what it returned, or `timeoutMs` passed; returns
 * the last value either way, for the caller to assert on (tests never wait by fixed sleeps).
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

/** Polls `check` every 100 ms until it holds, or fails after `timeoutMs`. */
export const waitFor = async (
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  if (!(await pollUntil(check, (ok) => ok, timeoutMs))) throw new Error(`timed out waiting for ${what}`);
};
