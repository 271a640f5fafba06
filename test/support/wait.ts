import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `check` every 100 ms until it holds, or fails after `timeoutMs`. */
export const waitFor = async (
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};
