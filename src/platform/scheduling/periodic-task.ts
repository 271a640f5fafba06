import type { Logger } from '../logging/logger.js';

/** Background work the runtime starts after the app is up and stops before the pools close. */
export interface PeriodicTask {
  readonly name: string;
  start(): void;
  /** Stops scheduling and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` (the first pass at once), one pass at a time: the next is scheduled
 * only when the previous one has finished. A failing pass is logged and retried on the next tick.
 */
export const periodicTask = (
  what: string,
  intervalMs: number,
  pass: () => Promise<void>,
  logger: Logger,
): PeriodicTask => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const run = () => {
    running = pass()
      .catch((err) => logger.error({ err }, `${what} failed; retrying on the next tick`))
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, intervalMs);
    timer.unref();
  };
  return {
    name: what,
    start: () => {
      if (!stopped) return;
      stopped = false;
      run();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
};
