import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../test/support/wait.js';
import { createLogger } from '../logging/logger.js';
import { ConsumerSupervisor, type SupervisedConsumers } from './consumer-supervisor.js';

/** A set of consumers whose start fails while `broker.up` is false, and that can die while running. */
class FakeConsumers implements SupervisedConsumers {
  started = false;
  stopped = false;
  dead = false;
  constructor(private readonly broker: { up: boolean }) {}
  async start() {
    if (!this.broker.up) throw new Error('connect ECONNREFUSED');
    this.started = true;
  }
  healthy() {
    return this.started && !this.stopped && !this.dead;
  }
  async stop() {
    this.stopped = true;
  }
  async lag() {
    return [{ group: 'g', topic: 't', lag: 7 }];
  }
}

const supervise = (broker: { up: boolean }) => {
  const made: FakeConsumers[] = [];
  const supervisor = new ConsumerSupervisor(
    () => {
      const c = new FakeConsumers(broker);
      made.push(c);
      return c;
    },
    { logger: createLogger('silent'), checkIntervalMs: 5, baseDelayMs: 5, maxDelayMs: 20 },
  );
  return { supervisor, made };
};

describe('ConsumerSupervisor', () => {
  it('keeps trying to start consumers the broker refused at start, and runs them once it answers', async () => {
    const broker = { up: false };
    const { supervisor, made } = supervise(broker);
    await supervisor.start(); // the first attempt has failed
    expect(supervisor.state()).toBe('down');
    expect(await supervisor.lag()).toEqual([]);
    await waitFor('a third set of consumers made', async () => made.length > 2, 5_000, 5);
    // every failed set was stopped before the next was made
    expect(made.slice(0, -1).every((c) => c.stopped)).toBe(true);
    broker.up = true;
    await waitFor('the supervisor running', async () => supervisor.state() === 'running', 5_000, 5);
    const running = made.at(-1)!;
    expect(running.healthy()).toBe(true);
    expect(await supervisor.lag()).toEqual([{ group: 'g', topic: 't', lag: 7 }]);
    await supervisor.stop();
    expect(running.stopped).toBe(true);
    expect(supervisor.state()).toBe('stopped');
  });

  it('reports a consumer that died for good at once, and replaces the set', async () => {
    const { supervisor, made } = supervise({ up: true });
    await supervisor.start();
    expect(supervisor.state()).toBe('running');
    made[0]!.dead = true;
    expect(supervisor.state()).toBe('down');
    await waitFor('a second set of consumers made', async () => made.length === 2, 5_000, 5);
    expect(made[0]!.stopped).toBe(true);
    await waitFor('the supervisor running', async () => supervisor.state() === 'running', 5_000, 5);
    await supervisor.stop();
    expect(made.every((c) => c.stopped)).toBe(true);
  });

  it('stops while it waits to retry, without starting another set', async () => {
    vi.useFakeTimers();
    try {
      const broker = { up: false };
      const { supervisor, made } = supervise(broker);
      await supervisor.start();
      const before = made.length;
      await supervisor.stop();
      broker.up = true;
      // five times the longest back-off (20 ms) on the fake clock: a retry left scheduled would have run
      await vi.advanceTimersByTimeAsync(100);
      expect(made.length).toBe(before);
      expect(supervisor.state()).toBe('stopped');
    } finally {
      vi.useRealTimers();
    }
  });
});
