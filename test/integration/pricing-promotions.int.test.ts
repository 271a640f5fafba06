import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import { newId } from '../../src/platform/ids.js';
import { regionPreset } from '../../src/platform/region/region-presets.js';
import { PricingEventTypes, PromotionNotApplicableError } from '../../src/pricing/contract.js';
import {
  createPricingServices,
  PRICING_ENTITIES,
  type PricingServices,
} from '../../src/pricing/pricing.plugin.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * Promotion redemption against a real Postgres, from two separate connection pools (as two app
 * instances would): the usage limit holds when many checkouts race, redemption is idempotent per order,
 * and a rejected or rolled-back redemption leaves nothing behind.
 */
describe.skipIf(missing('postgres'))('promotion redemption (two app instances, one database)', () => {
  let db: TestDatabase;
  let ds1: DataSource;
  let ds2: DataSource;
  let one: PricingServices;
  let two: PricingServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const eu = regionPreset('eu');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds1 = createDataSource({ url: db.url, poolSize: 8, entities: PRICING_ENTITIES });
    ds2 = createDataSource({ url: db.url, poolSize: 8, entities: PRICING_ENTITIES });
    await Promise.all([ds1.initialize(), ds2.initialize()]);
    one = createPricingServices({ dataSource: ds1, region: eu, clock });
    two = createPricingServices({ dataSource: ds2, region: eu, clock });
  });
  afterAll(async () => {
    await ds1?.destroy();
    await ds2?.destroy();
    await db?.drop();
  });

  /** One checkout: its own transaction on the given instance, holding its locks a little while. */
  const checkout = (instance: 1 | 2, code: string, orderId: string) => {
    const [ds, svc] = instance === 1 ? [ds1, one] : [ds2, two];
    return ds.transaction(async (m) => {
      const redemption = await svc.facade.redeemPromotion(code, orderId, asHandle(m));
      await m.query('SELECT pg_sleep(0.005)'); // the rest of the checkout, while the row stays locked
      return redemption;
    });
  };

  const stateOf = async (promotionId: string) => {
    const [{ used_count: usedCount }] = await ds1.query(
      'SELECT used_count FROM pricing_promotions WHERE id = $1',
      [promotionId],
    );
    const redemptions: { order_id: string }[] = await ds1.query(
      'SELECT order_id FROM pricing_promotion_redemptions WHERE promotion_id = $1',
      [promotionId],
    );
    const events: { type: string; subject: string; data: Record<string, unknown> }[] = await ds1.query(
      'SELECT type, subject, data FROM outbox WHERE subject = $1 ORDER BY seq',
      [promotionId],
    );
    return { usedCount, orderIds: redemptions.map((r) => r.order_id).sort(), events };
  };

  it('takes a redemption back (a declined or cancelled order): the use is free again, idempotently', async () => {
    const promotion = await one.createPromotion.execute({
      code: 'release1',
      type: 'fixed',
      value: 100,
      usageLimit: 1,
    });
    const [first, second] = [newId(), newId()];
    await checkout(1, 'RELEASE1', first);
    await expect(checkout(2, 'RELEASE1', second)).rejects.toMatchObject({ code: 'CONFLICT' });
    const released = await ds1.transaction((m) => one.facade.releasePromotion(first, asHandle(m)));
    expect(released).toBe('RELEASE1');
    expect(await ds1.transaction((m) => one.facade.releasePromotion(first, asHandle(m)))).toBeNull();
    expect(await stateOf(promotion.id)).toMatchObject({ usedCount: 0, orderIds: [] });
    // the freed use goes to the next order
    await checkout(2, 'RELEASE1', second);
    expect(await stateOf(promotion.id)).toMatchObject({ usedCount: 1, orderIds: [second] });
    expect(await ds1.transaction((m) => one.facade.releasePromotion(newId(), asHandle(m)))).toBeNull();
  });

  it('redeems a promotion with usageLimit N at most N times when 5N checkouts race', async () => {
    const N = 10;
    const promotion = await one.createPromotion.execute({
      code: 'race10',
      type: 'percentage',
      value: 10,
      usageLimit: N,
    });
    const orderIds = Array.from({ length: 5 * N }, () => newId());

    const started = performance.now();
    const results = await Promise.allSettled(
      orderIds.map((id, i) => checkout(i % 2 === 0 ? 1 : 2, 'RACE10', id)),
    );
    const elapsed = performance.now() - started;

    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [orderIds[i]!] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(N);
    expect(lost).toHaveLength(4 * N);
    for (const err of lost) {
      expect(err).toBeInstanceOf(PromotionNotApplicableError);
      expect(err).toMatchObject({ code: 'CONFLICT', reason: 'used_up' });
    }

    const state = await stateOf(promotion.id);
    expect(state.usedCount).toBe(N);
    expect(state.orderIds).toEqual([...won].sort());
    expect(state.events).toHaveLength(N);
    for (const e of state.events) {
      expect(e.type).toBe(PricingEventTypes.PromotionRedeemed);
      expect(Object.keys(e.data).sort()).toEqual(['code', 'orderId']);
      expect(e.data.code).toBe('RACE10');
    }
    expect(state.events.map((e) => e.data.orderId as string).sort()).toEqual([...won].sort());
    console.info(`[pricing] ${5 * N} racing redemptions over two pools settled in ${elapsed.toFixed(0)} ms`);
  });

  it('counts the same order once, also when both instances redeem it at the same time', async () => {
    const promotion = await one.createPromotion.execute({
      code: 'ONCE-ONLY',
      type: 'fixed',
      value: 500,
      usageLimit: 5,
    });
    const orderId = newId();
    const first = await checkout(1, 'once-only', orderId);
    const again = await checkout(2, 'ONCE-ONLY', orderId);
    expect(first).toMatchObject({
      alreadyRedeemed: false,
      promotionId: promotion.id,
      code: 'ONCE-ONLY',
      orderId,
    });
    expect(again).toMatchObject({ alreadyRedeemed: true, promotionId: promotion.id });

    const racing = newId();
    const pair = await Promise.all([checkout(1, 'ONCE-ONLY', racing), checkout(2, 'ONCE-ONLY', racing)]);
    expect(pair.map((r) => r.alreadyRedeemed).sort()).toEqual([false, true]);

    const state = await stateOf(promotion.id);
    expect(state.usedCount).toBe(2);
    expect(state.orderIds).toEqual([orderId, racing].sort());
    expect(state.events).toHaveLength(2);
  });

  it('keeps nothing of a redemption whose checkout rolls back, or that was refused while the checkout went on', async () => {
    const promotion = await one.createPromotion.execute({
      code: 'ROLLBACK-1',
      type: 'fixed',
      value: 100,
      usageLimit: 1,
    });
    await expect(
      ds1.transaction(async (m) => {
        await one.facade.redeemPromotion('ROLLBACK-1', newId(), asHandle(m));
        throw new Error('payment step failed');
      }),
    ).rejects.toThrow('payment step failed');
    expect(await stateOf(promotion.id)).toMatchObject({ usedCount: 0, orderIds: [], events: [] });

    const winner = newId();
    await checkout(1, 'ROLLBACK-1', winner);
    // a checkout that catches the refusal and commits without the coupon keeps no trace of the attempt
    const outcome = await ds2.transaction(async (m) => {
      try {
        await two.facade.redeemPromotion('ROLLBACK-1', newId(), asHandle(m));
        return 'redeemed';
      } catch (err) {
        return (err as PromotionNotApplicableError).reason;
      }
    });
    expect(outcome).toBe('used_up');
    expect(await stateOf(promotion.id)).toMatchObject({ usedCount: 1, orderIds: [winner] });
  });

  it('refuses unknown codes and redemptions outside the validity window, with the reason', async () => {
    const startsAt = new Date('2026-04-01T00:00:00Z');
    const endsAt = new Date('2026-04-30T00:00:00Z');
    const promotion = await one.createPromotion.execute({
      code: 'APRIL',
      type: 'percentage',
      value: 15,
      startsAt,
      endsAt,
    });
    const reasonOf = async (code: string) => {
      try {
        await checkout(1, code, newId());
        return 'redeemed';
      } catch (err) {
        expect(err).toBeInstanceOf(PromotionNotApplicableError);
        return (err as PromotionNotApplicableError).reason;
      }
    };
    expect(await reasonOf('NO-SUCH-CODE')).toBe('unknown');
    expect(await reasonOf('APRIL')).toBe('not_started');
    clock.set(startsAt);
    expect(await reasonOf('april')).toBe('redeemed');
    clock.set(endsAt);
    expect(await reasonOf('APRIL')).toBe('expired');
    clock.set('2026-03-01T12:00:00Z');
    expect(await stateOf(promotion.id)).toMatchObject({ usedCount: 1 });
  });
});
