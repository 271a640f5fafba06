import type { Logger } from '../logging/logger.js';
import { type BackoffOptions, backoffDelay } from '../resilience/retry.js';

/** What the supervisor needs of a set of consumers: start (throws when it cannot), health, stop. */
export interface SupervisedConsumers {
  start(): Promise<void>;
  /** false once a consumer stopped for good */
  healthy(): boolean;
  stop(): Promise<void>;
  /** per group and topic, the messages not committed yet */
  lag(): Promise<ConsumerLag[]>;
}

export interface ConsumerLag {
  group: string;
  topic: string;
  lag: number;
}

export type ConsumersState = 'starting' | 'running' | 'down' | 'stopped';

export interface ConsumerSupervisorOptions extends BackoffOptions {
  logger: Logger;
  /** how often a running set is asked whether it is still healthy (ms) */
  checkIntervalMs: number;
}

/**
 * Keeps the Kafka consumers running: a set that cannot start (the broker is down when the process
 * starts) or that loses a consumer for good (kafkajs gives up after a non-retriable error) is stopped
 * and replaced by a new one, after an exponential backoff, until `stop()`. Without it, consumers that
 * failed at start never ran: events were published but nobody in this instance consumed them.
 * `state()` is what /readyz reports.
 */
export class ConsumerSupervisor {
  private current: SupervisedConsumers | undefined;
  private status: ConsumersState = 'starting';
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private first: Promise<void> | undefined;
  private settleFirst: () => void = () => {};

  constructor(
    private readonly make: () => SupervisedConsumers,
    private readonly opts: ConsumerSupervisorOptions,
  ) {}

  /** Starts the loop; resolves once the first attempt has succeeded or failed (it is retried then). */
  start(): Promise<void> {
    if (!this.first) {
      this.first = new Promise((resolve) => {
        this.settleFirst = resolve;
      });
      this.loop = this.run().finally(() => this.settleFirst());
    }
    return this.first;
  }

  state(): ConsumersState {
    if (this.status === 'running' && !this.current?.healthy()) return 'down';
    return this.status;
  }

  /** The running set's lag; none while no set runs (`state()` says so). */
  lag(): Promise<ConsumerLag[]> {
    return this.status === 'running' && this.current ? this.current.lag() : Promise.resolve([]);
  }

  /** Stops the loop and the consumers (a start in progress is cut short). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.current?.stop().catch(() => {});
    await this.loop;
    this.status = 'stopped';
  }

  private async run(): Promise<void> {
    const log = this.opts.logger;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const consumers = this.make();
      this.current = consumers;
      try {
        await consumers.start();
        if (this.abort.signal.aborted) break;
        this.status = 'running';
        this.settleFirst();
        if (failures > 0) log.info({ after: failures }, 'kafka consumers running again');
        failures = 0;
        while (!this.abort.signal.aborted && consumers.healthy()) await this.sleep(this.opts.checkIntervalMs);
        if (this.abort.signal.aborted) break;
        log.error('a kafka consumer stopped for good; restarting the consumers');
      } catch (err) {
        log.error(
          { err: err instanceof Error ? err.message : String(err), attempt: failures + 1 },
          'kafka consumers could not start; retrying',
        );
      }
      this.status = 'down';
      this.settleFirst();
      await consumers.stop().catch(() => {});
      failures++;
      await this.sleep(backoffDelay(failures, this.opts));
    }
    await this.current?.stop().catch(() => {});
  }

  /** Waits `ms`, or less when stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
