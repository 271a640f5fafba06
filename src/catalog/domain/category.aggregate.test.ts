import { describe, expect, it } from 'vitest';
import { CategoryCycleError, InvalidCategoryError } from './catalog.errors.js';
import { catalogRules } from './catalog.rules.js';
import { Category } from './category.aggregate.js';

const rules = catalogRules(['en', 'de'], ['standard']);
const now = new Date('2026-03-01T10:00:00Z');
const ids = {
  electronics: '0194f3a0-0000-7000-8000-0000000000e1',
  audio: '0194f3a0-0000-7000-8000-0000000000a1',
  headphones: '0194f3a0-0000-7000-8000-0000000000b1',
};

const make = (slug: keyof typeof ids, parentId: string | null = null) =>
  Category.create({ id: ids[slug], slug, name: slug, parentId, now }, rules);

describe('Category', () => {
  it('is created with a localized name under an optional parent', () => {
    const c = Category.create(
      { id: ids.audio, slug: 'audio', name: { en: 'Audio', de: 'Audio' }, parentId: ids.electronics, now },
      rules,
    );
    expect(c.snapshot()).toEqual({
      id: ids.audio,
      slug: 'audio',
      name: { en: 'Audio', de: 'Audio' },
      parentId: ids.electronics,
      createdAt: now,
      updatedAt: now,
    });
  });

  it('lists every invalid field', () => {
    try {
      Category.create(
        { id: ids.audio, slug: 'Bad Slug', name: { fr: 'Son' }, parentId: ids.audio, now },
        rules,
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidCategoryError);
      expect((err as InvalidCategoryError).errors!.map((e) => e.path)).toEqual(
        expect.arrayContaining(['slug', 'name.fr', 'name.en', 'parent']),
      );
    }
  });

  it('never forms a cycle: not under itself, not under a descendant', () => {
    const electronics = make('electronics');
    // audio is under electronics, headphones under audio: the ancestors of headphones' parent are [electronics]
    expect(() => electronics.moveUnder(ids.electronics, [], now)).toThrow(CategoryCycleError);
    expect(() => electronics.moveUnder(ids.headphones, [ids.audio, ids.electronics], now)).toThrow(
      CategoryCycleError,
    );
    expect(electronics.parentId).toBeNull();
  });

  it('moves under another branch and back to the root', () => {
    const headphones = make('headphones', ids.audio);
    expect(headphones.moveUnder(ids.electronics, [], now)).toBe(true);
    expect(headphones.parentId).toBe(ids.electronics);
    expect(headphones.moveUnder(ids.electronics, [], now)).toBe(false);
    expect(headphones.moveUnder(null, [], now)).toBe(true);
    expect(headphones.parentId).toBeNull();
  });

  it('renames per locale and reports whether anything changed', () => {
    const audio = make('audio');
    expect(audio.rename({ de: 'Ton' }, rules, now)).toBe(true);
    expect(audio.name).toEqual({ en: 'audio', de: 'Ton' });
    expect(audio.rename('audio', rules, now)).toBe(false);
    expect(() => audio.rename({ en: null }, rules, now)).toThrow(InvalidCategoryError);
  });
});
