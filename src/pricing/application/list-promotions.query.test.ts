import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { CreatePromotion } from './create-promotion.use-case.js';
import { ListPromotions } from './list-promotions.query.js';

const threePromotions = async () => {
  const bed = pricingTestBed();
  const create = new CreatePromotion(bed.deps);
  for (const code of ['FIRST', 'SECOND', 'THIRD']) {
    await create.execute({ code, type: 'fixed', value: 100 });
    bed.clock.advance(1000);
  }
  return { bed, list: new ListPromotions(bed.deps) };
};

describe('ListPromotions', () => {
  it('pages newest first; `next` continues after the last item and is null on the last page', async () => {
    const { list } = await threePromotions();
    const first = await list.execute(2, null);
    expect(first.items.map((p) => p.code)).toEqual(['THIRD', 'SECOND']);
    const second = first.items[1]!;
    expect(first.next).toEqual({ createdAt: second.createdAt, id: second.id });
    const last = await list.execute(2, first.next);
    expect(last.items.map((p) => p.code)).toEqual(['FIRST']);
    expect(last.next).toBeNull();
  });

  it('a page exactly as long as what is left has no next', async () => {
    const { list } = await threePromotions();
    expect((await list.execute(3, null)).next).toBeNull();
  });
});
