import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';

/**
 * Rejects with `message` after `ms` unless `promise` settles first — cockatiel's timeout (ADR 0014, the
 * one timeout of shopcore: the carrier and the payment provider use its policies directly), aggressive
 * (the caller stops waiting; the work itself is not cancelled) and unref'd (the timer does not keep the
 * process alive).
 */
export const withTimeout = async <T>(
  promise: Promise<T>,
  ms: number,
  message = `timed out after ${ms} ms`,
): Promise<T> => {
  let timedOut = false;
  const policy = timeout(ms, TimeoutStrategy.Aggressive).dangerouslyUnref();
  policy.onTimeout(() => {
    timedOut = true;
  });
  try {
    return await policy.execute(() => promise);
  } catch (err) {
    if (timedOut && err instanceof TaskCancelledError) throw new Error(message);
    throw err;
  }
};
