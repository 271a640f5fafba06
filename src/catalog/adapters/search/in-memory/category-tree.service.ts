import type { CategoryRow } from './postgres-source.store.js';

/**
 * The category tree as the in-memory index knows it, and a number per category id so that documents
 * and facets count into arrays. Numbers are never reused (they outlive reloads of the tree), so a
 * document's number stays valid.
 */
export class CategoryTree {
  private categories = new Map<string, CategoryRow>();
  private bySlug = new Map<string, CategoryRow>();
  private readonly numbers = new Map<string, number>();
  private readonly ids: string[] = [];

  /** Replaces the tree (by id). */
  set(categories: Map<string, CategoryRow>): void {
    this.categories = categories;
    this.bySlug = new Map([...categories.values()].map((c) => [c.slug, c]));
  }

  /** How many category numbers were handed out (the length of a per-category array). */
  get size(): number {
    return this.ids.length;
  }

  /** The number of a category id, handing out the next one for an id not seen yet. */
  numberOf(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numbers.set(id, n);
      this.ids.push(id);
    }
    return n;
  }

  /** The slug of the category with this id, if the tree has it. */
  slugOf(id: string): string | undefined {
    return this.categories.get(id)?.slug;
  }

  /** The slug of the category with this number, if the tree has it. */
  slugAt(n: number): string | undefined {
    return this.categories.get(this.ids[n] as string)?.slug;
  }

  /** 1 at the numbers of the category and its descendants. */
  mask(slug: string): Uint8Array {
    const mask = new Uint8Array(this.ids.length);
    for (const id of this.withDescendants(slug)) {
      const n = this.numbers.get(id);
      if (n !== undefined) mask[n] = 1;
    }
    return mask;
  }

  private withDescendants(slug: string): Set<string> {
    const root = this.bySlug.get(slug);
    const out = new Set<string>();
    if (!root) return out;
    out.add(root.id);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of this.categories.values()) {
        if (c.parent && out.has(c.parent) && !out.has(c.id)) {
          out.add(c.id);
          grew = true;
        }
      }
    }
    return out;
  }
}
