import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { SweepIdleCarts } from './sweep-idle-carts.use-case.js';

const DAY = 24 * 60 * 60 * 1000;

describe('SweepIdleCarts', () => {
  it('open carts idle past their expiry become expired, in as many batches as it takes; live ones stay open', async () => {
    const bed = cartTestBed();
    const idle = Array.from({ length: 5 }, () => bed.openCart(null));
    bed.clock.advance(DAY);
    const live = bed.openCart(null);
    bed.clock.advance(29 * DAY);
    const swept = await new SweepIdleCarts(bed.deps).execute(7 * DAY, 2);
    expect(swept.expired).toBe(5);
    for (const c of idle) expect(bed.carts.row(c.id)?.status).toBe('expired');
    expect(bed.carts.row(live.id)?.status).toBe('open');
    expect(bed.carts.calls.expireIdle).toBe(3); // 2 + 2 + 1
  });

  it('lines of carts expired longer than the grace period ago are deleted; those within it are kept', async () => {
    const bed = cartTestBed();
    const long = bed.openCart(null);
    long.addLine('TEE-M', 1, bed.clock.now());
    long.addLine('CAP-1', 1, bed.clock.now());
    bed.carts.put(long);
    bed.clock.advance(5 * DAY);
    const recent = bed.openCart(null);
    recent.addLine('TEE-M', 1, bed.clock.now());
    bed.carts.put(recent);
    // long expired on day 30, recent on day 35; the sweep runs on day 38 with a 7-day grace
    bed.clock.advance(33 * DAY);
    const swept = await new SweepIdleCarts(bed.deps).execute(7 * DAY);
    expect(swept).toEqual({ expired: 2, purgedLines: 2 });
    expect(bed.carts.row(long.id)?.lines).toEqual([]);
    expect(bed.carts.row(recent.id)?.lines).toHaveLength(1);
  });

  it('closed carts keep their lines: only expired ones are purged', async () => {
    const bed = cartTestBed();
    const closed = bed.openCart(null);
    closed.addLine('TEE-M', 1, bed.clock.now());
    closed.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(closed);
    bed.clock.advance(90 * DAY);
    expect(await new SweepIdleCarts(bed.deps).execute(0)).toEqual({ expired: 0, purgedLines: 0 });
    expect(bed.carts.row(closed.id)).toMatchObject({ status: 'closed' });
    expect(bed.carts.row(closed.id)?.lines).toHaveLength(1);
  });

  it('purges in batches of ten times the batch size until none is left', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    for (let i = 0; i < 25; i++) cart.addLine(`SKU-${i}`, 1, bed.clock.now());
    bed.carts.put(cart);
    bed.clock.advance(30 * DAY);
    const swept = await new SweepIdleCarts(bed.deps).execute(0, 1);
    expect(swept).toEqual({ expired: 1, purgedLines: 25 });
    expect(bed.carts.calls.purgeExpiredLines).toBe(3); // 10 + 10 + 5
  });
});
