import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError, ValidationError } from '../../platform/errors.js';
import { InvalidProductError, ProductArchivedError } from './catalog.errors.js';
import { catalogRules } from './catalog.rules.js';
import {
  type NewProduct,
  PRODUCT_STATUSES,
  Product,
  type ProductEvent,
  type ProductStatus,
  productStates,
} from './product.aggregate.js';

const rules = catalogRules(['en', 'de', 'fr'], ['standard', 'reduced', 'zero']);
const now = new Date('2026-03-01T10:00:00Z');
const later = new Date('2026-03-02T10:00:00Z');
const id = '0194f3a0-0000-7000-8000-000000000001';
const categoryId = '0194f3a0-0000-7000-8000-0000000000c1';

const input = (over: Partial<NewProduct> = {}): NewProduct => ({
  id,
  slug: 'aurora-headphones',
  name: { en: 'Aurora Headphones', de: 'Aurora Kopfhörer' },
  description: 'Closed-back, 40 h battery.',
  categoryId,
  attributes: { brand: 'Aurora', wireless: true, weight: 250 },
  status: 'active',
  variants: [
    { sku: 'AUR-HP-BLK', options: { colour: 'black' } },
    { sku: 'AUR-HP-WHT', options: { colour: 'white' } },
  ],
  now,
  ...over,
});

const errorsOf = (fn: () => unknown): { path: string; message: string }[] => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).errors ?? [];
  }
  throw new Error('expected a validation error');
};

describe('Product.create', () => {
  it('creates a product with localized text, defaults and its variants', () => {
    const p = Product.create(input({ taxClass: undefined }), rules);
    expect(p.slug).toBe('aurora-headphones');
    expect(p.name).toEqual({ en: 'Aurora Headphones', de: 'Aurora Kopfhörer' });
    expect(p.description).toEqual({ en: 'Closed-back, 40 h battery.' });
    expect(p.taxClass).toBe('standard');
    expect(p.status).toBe('active');
    expect(p.skus).toEqual(['AUR-HP-BLK', 'AUR-HP-WHT']);
    expect(p.version).toBe(1);
    expect(p.createdAt).toEqual(now);
  });

  it('defaults to draft and tidies whitespace in names', () => {
    const p = Product.create(input({ status: undefined, name: '  Aurora   Headphones ' }), rules);
    expect(p.status).toBe('draft');
    expect(p.name).toEqual({ en: 'Aurora Headphones' });
  });

  it('records exactly one ProductCreated with slug, SKUs and status', () => {
    const p = Product.create(input(), rules);
    const events = p.pullEvents() as ProductEvent[];
    expect(events).toEqual([
      {
        name: 'ProductCreated',
        aggregateId: id,
        occurredAt: now,
        slug: 'aurora-headphones',
        skus: ['AUR-HP-BLK', 'AUR-HP-WHT'],
        status: 'active',
      },
    ]);
    expect(p.pullEvents()).toEqual([]);
  });

  it('lists every problem of an invalid product at once', () => {
    const errors = errorsOf(() =>
      Product.create(
        input({
          slug: 'Not A Slug',
          name: { de: 'Nur Deutsch', es: 'Hola' },
          taxClass: 'luxury',
          attributes: { 'bad key': 'x', ok: 'y'.repeat(201) },
          variants: [
            { sku: 'ABC-1', options: { size: 'M' } },
            { sku: 'abc-1', options: { size: 'L' } },
            { sku: '-bad', options: { size: 'M' } },
          ],
        }),
        rules,
      ),
    );
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'slug',
        'name.es',
        'name.en',
        'taxClass',
        'attributes.bad key',
        'attributes.ok',
        'variants.1.sku',
        'variants.2.sku',
        'variants.2.options',
      ]),
    );
    expect(errors.find((e) => e.path === 'variants.1.sku')!.message).toContain('variants.0');
  });

  it('rejects a product without variants, a UUID-shaped slug and an empty name', () => {
    const paths = errorsOf(() =>
      Product.create(
        input({ slug: '0194f3a0-0000-7000-8000-000000000009', name: '   ', variants: [] }),
        rules,
      ),
    ).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'name.en', 'variants']));
  });

  it('does not create an archived product', () => {
    expect(() => Product.create(input({ status: 'archived' as 'active' }), rules)).toThrow(
      InvalidProductError,
    );
  });
});

describe('Product.update', () => {
  const existing = () => {
    const p = Product.create(input(), rules);
    p.pullEvents();
    return p;
  };

  it('merges localized text per locale: a string sets the default locale, null removes a translation', () => {
    const p = existing();
    expect(p.update({ name: 'Aurora Over-Ear', description: { fr: 'Casque fermé' } }, rules, later)).toBe(
      true,
    );
    expect(p.name).toEqual({ en: 'Aurora Over-Ear', de: 'Aurora Kopfhörer' });
    expect(p.description).toEqual({ en: 'Closed-back, 40 h battery.', fr: 'Casque fermé' });
    p.update({ name: { de: null } }, rules, later);
    expect(p.name).toEqual({ en: 'Aurora Over-Ear' });
    expect(p.updatedAt).toEqual(later);
    expect(p.version).toBe(3);
  });

  it('refuses to remove the default locale', () => {
    const p = existing();
    expect(errorsOf(() => p.update({ name: { en: null } }, rules, later)).map((e) => e.path)).toEqual([
      'name.en',
    ]);
    expect(p.name.en).toBe('Aurora Headphones');
  });

  it('replaces the variants and records ProductUpdated with the new SKUs', () => {
    const p = existing();
    p.update({ variants: [{ sku: 'AUR-HP-RED', options: { colour: 'red' } }] }, rules, later);
    expect(p.skus).toEqual(['AUR-HP-RED']);
    expect(p.pullEvents()).toEqual([
      {
        name: 'ProductUpdated',
        aggregateId: id,
        occurredAt: later,
        slug: 'aurora-headphones',
        skus: ['AUR-HP-RED'],
        status: 'active',
      },
    ]);
  });

  it('is a no-op without events when nothing changes', () => {
    const p = existing();
    expect(
      p.update(
        { name: 'Aurora Headphones', attributes: { brand: 'Aurora', wireless: true, weight: 250 } },
        rules,
        later,
      ),
    ).toBe(false);
    expect(p.pullEvents()).toEqual([]);
    expect(p.version).toBe(1);
  });

  it('changes nothing when any field is invalid', () => {
    const p = existing();
    expect(() => p.update({ slug: 'new-slug', taxClass: 'nope' }, rules, later)).toThrow(InvalidProductError);
    expect(p.slug).toBe('aurora-headphones');
    expect(p.pullEvents()).toEqual([]);
  });

  it('moving to archived records ProductArchived', () => {
    const p = existing();
    p.update({ status: 'archived' }, rules, later);
    expect(p.pullEvents().map((e) => e.name)).toEqual(['ProductArchived']);
  });

  it('follows the transition table for every pair of statuses', () => {
    for (const from of PRODUCT_STATUSES) {
      for (const to of PRODUCT_STATUSES) {
        const p = Product.restore({ ...existing().snapshot(), status: from as ProductStatus });
        const attempt = () => p.update({ status: to }, rules, later);
        if (from === to) expect(attempt()).toBe(false);
        else if (productStates.can(from, to)) expect(attempt()).toBe(true);
        else expect(attempt).toThrow(IllegalStateTransitionError);
      }
    }
    expect(productStates.isFinal('archived')).toBe(true);
  });

  it('an archived product cannot be edited', () => {
    const p = existing();
    p.archive(later);
    expect(() => p.update({ name: 'Renamed' }, rules, later)).toThrow(ProductArchivedError);
    expect(() => p.update({ status: 'active' }, rules, later)).toThrow(IllegalStateTransitionError);
    expect(p.update({ status: 'archived' }, rules, later)).toBe(false);
  });
});

describe('Product.archive', () => {
  it('archives once and is idempotent afterwards', () => {
    const p = Product.create(input(), rules);
    p.pullEvents();
    expect(p.archive(later)).toBe(true);
    expect(p.status).toBe('archived');
    expect(p.archive(later)).toBe(false);
    expect(p.pullEvents()).toEqual([
      {
        name: 'ProductArchived',
        aggregateId: id,
        occurredAt: later,
        slug: 'aurora-headphones',
        skus: ['AUR-HP-BLK', 'AUR-HP-WHT'],
        status: 'archived',
      },
    ]);
  });
});
