/**
 * When a notification whose send failed is tried again: exponential backoff from `baseDelayMs`,
 * doubled per attempt up to `maxDelayMs`; after `maxAttempts` attempts it is `failed`. The schedule
 * lives in the row (`next_attempt_at`), so a restart or another instance continues it.
 */
export interface RetrySchedule {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** 6 attempts over about 15 minutes: 30 s, 1 min, 2 min, 4 min, 8 min. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  maxAttempts: 6,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
};

/** The wait after the `attempts`-th failed attempt (1-based). */
export const retryDelayMs = (schedule: RetrySchedule, attempts: number): number =>
  Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.max(0, attempts - 1));
