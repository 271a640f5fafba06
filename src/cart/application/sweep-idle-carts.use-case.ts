import type { CartDeps } from './cart.deps.js';

/**
 * One pass of the idle sweeper: carts idle past their expiry become `expired` (in batches, skipping
 * rows a request holds), and lines of carts expired longer than `graceMs` ago are deleted.
 */
export class SweepIdleCarts {
  constructor(private readonly deps: CartDeps) {}

  async execute(graceMs: number, batch = 500): Promise<{ expired: number; purgedLines: number }> {
    const now = this.deps.clock.now();
    let expired = 0;
    for (;;) {
      const ids = await this.deps.uow.run(({ repos }) => repos.carts.expireIdle(now, batch));
      expired += ids.length;
      if (ids.length < batch) break;
    }
    const before = new Date(now.getTime() - graceMs);
    let purgedLines = 0;
    for (;;) {
      const n = await this.deps.uow.run(({ repos }) => repos.carts.purgeExpiredLines(before, batch * 10));
      purgedLines += n;
      if (n < batch * 10) break;
    }
    return { expired, purgedLines };
  }
}
