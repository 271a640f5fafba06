/**
 * The catalog's ports in memory, for use-case and query unit tests (no database): repositories over
 * snapshots (every read restores a fresh aggregate, as a database read would), the read model over the
 * same rows, a search index that records what it was asked, and a stock port over a map. `catalogHarness`
 * wires them with InMemoryUnitOfWork, the real event mapper, a CatalogCache over MemoryCache and a
 * ManualClock into the CatalogDeps the plugin would build.
 */

import { CatalogCache } from '../../../src/catalog/application/catalog.cache.js';
import type { CatalogDeps } from '../../../src/catalog/application/catalog.deps.js';
import type {
  CatalogReadModel,
  CategoryRecord,
  ProductDetailRecord,
  VariantRecord,
} from '../../../src/catalog/application/catalog.read-model.js';
import type {
  AffectedProduct,
  CatalogRepos,
  CategoryRepository,
  PriceChange,
  ProductRepository,
  SkuPriceProjection,
} from '../../../src/catalog/application/catalog.repositories.js';
import { catalogEventMapper } from '../../../src/catalog/application/catalog-event.mapper.js';
import type {
  ProductSearchQuery,
  ProductSearchResult,
  SearchIndex,
} from '../../../src/catalog/application/search-index.port.js';
import type { StockAvailability } from '../../../src/catalog/application/stock-availability.port.js';
import {
  CategorySlugTakenError,
  ProductSlugTakenError,
  SkuTakenError,
} from '../../../src/catalog/domain/catalog.errors.js';
import { type CatalogRules, catalogRules } from '../../../src/catalog/domain/catalog.rules.js';
import { Category, type CategoryProps } from '../../../src/catalog/domain/category.aggregate.js';
import { Product, type ProductProps } from '../../../src/catalog/domain/product.aggregate.js';
import { MemoryCache } from '../../../src/platform/cache/memory-cache.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import type { Id } from '../../../src/platform/ids.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';

interface StoredPrice {
  amount: number;
  currency: string;
  at: Date;
}

/** The catalog's tables in memory: products (with their variants), categories and the SKU price projection. */
export class InMemoryCatalogStore {
  readonly products = new Map<Id, ProductProps>();
  readonly categories = new Map<Id, CategoryProps>();
  readonly prices = new Map<string, StoredPrice>();
  /** how many times the category tree was locked (moves lock it) */
  treeLocks = 0;

  product(id: Id): ProductProps | undefined {
    return this.products.get(id);
  }

  categoryBySlug(slug: string): CategoryProps | undefined {
    return [...this.categories.values()].find((c) => c.slug === slug);
  }

  /** Every SKU with the product holding it. */
  skuOwners(): Map<string, Id> {
    const out = new Map<string, Id>();
    for (const p of this.products.values()) for (const v of p.variants) out.set(v.sku, p.id);
    return out;
  }

  /** The lowest projected price of a product's variants (catalog_products.price_amount). */
  lowestPrice(product: ProductProps): number | null {
    const amounts = product.variants
      .map((v) => this.prices.get(v.sku)?.amount)
      .filter((a): a is number => a !== undefined);
    return amounts.length === 0 ? null : Math.min(...amounts);
  }
}

const copy = <T>(props: T): T => structuredClone(props);

export class InMemoryProductRepository implements ProductRepository {
  constructor(private readonly store: InMemoryCatalogStore) {}

  async findById(id: Id): Promise<Product | null> {
    const props = this.store.product(id);
    return props ? Product.restore(copy(props)) : null;
  }

  findByIdForUpdate(id: Id): Promise<Product | null> {
    return this.findById(id);
  }

  async insert(product: Product): Promise<void> {
    const s = product.snapshot();
    if ([...this.store.products.values()].some((p) => p.slug === s.slug))
      throw new ProductSlugTakenError(s.slug);
    this.assertSkusOwn(s);
    this.store.products.set(s.id, copy(s));
  }

  async update(product: Product): Promise<void> {
    const s = product.snapshot();
    if ([...this.store.products.values()].some((p) => p.slug === s.slug && p.id !== s.id)) {
      throw new ProductSlugTakenError(s.slug);
    }
    this.assertSkusOwn(s);
    this.store.products.set(s.id, copy(s));
  }

  async skusTaken(skus: readonly string[], exceptProductId?: Id): Promise<string[]> {
    const wanted = new Set(skus.map((s) => s.toLowerCase()));
    return [...this.store.skuOwners()]
      .filter(([sku, owner]) => wanted.has(sku.toLowerCase()) && owner !== exceptProductId)
      .map(([sku]) => sku)
      .sort();
  }

  async count(): Promise<number> {
    return this.store.products.size;
  }

  /** The unique index on catalog_variants.sku (exact match). */
  private assertSkusOwn(s: ProductProps): void {
    const owners = this.store.skuOwners();
    const taken = s.variants.map((v) => v.sku).filter((sku) => (owners.get(sku) ?? s.id) !== s.id);
    if (taken.length > 0) throw new SkuTakenError(taken);
  }
}

export class InMemoryCategoryRepository implements CategoryRepository {
  constructor(private readonly store: InMemoryCatalogStore) {}

  async findById(id: Id): Promise<Category | null> {
    const props = this.store.categories.get(id);
    return props ? Category.restore(copy(props)) : null;
  }

  async findBySlug(slug: string): Promise<Category | null> {
    const props = this.store.categoryBySlug(slug);
    return props ? Category.restore(copy(props)) : null;
  }

  async lockTree(): Promise<void> {
    this.store.treeLocks += 1;
  }

  async ancestorIds(id: Id): Promise<Id[]> {
    const out: Id[] = [];
    let parent = this.store.categories.get(id)?.parentId ?? null;
    while (parent !== null && out.length < 1000) {
      out.push(parent);
      parent = this.store.categories.get(parent)?.parentId ?? null;
    }
    return out;
  }

  async insert(category: Category): Promise<void> {
    const s = category.snapshot();
    if (this.store.categoryBySlug(s.slug)) throw new CategorySlugTakenError(s.slug);
    this.store.categories.set(s.id, copy(s));
  }

  async update(category: Category): Promise<void> {
    const s = category.snapshot();
    this.store.categories.set(s.id, copy(s));
  }
}

export class InMemorySkuPriceProjection implements SkuPriceProjection {
  constructor(private readonly store: InMemoryCatalogStore) {}

  async apply(change: PriceChange): Promise<AffectedProduct[]> {
    const stored = this.store.prices.get(change.sku);
    if (stored && stored.at.getTime() > change.at.getTime()) return [];
    this.store.prices.set(change.sku, { amount: change.amount, currency: change.currency, at: change.at });
    return [...this.store.products.values()]
      .filter((p) => p.variants.some((v) => v.sku === change.sku))
      .map((p) => ({ id: p.id, slug: p.slug, status: p.status }));
  }
}

export const inMemoryCatalogRepos = (store: InMemoryCatalogStore): CatalogRepos => ({
  products: new InMemoryProductRepository(store),
  categories: new InMemoryCategoryRepository(store),
  prices: new InMemorySkuPriceProjection(store),
});

/** The read model over the same rows, as the TypeORM one reads the tables. */
export class InMemoryCatalogReadModel implements CatalogReadModel {
  constructor(private readonly store: InMemoryCatalogStore) {}

  async activeProduct(ref: { id: Id } | { slug: string }): Promise<ProductDetailRecord | null> {
    const p = [...this.store.products.values()].find(
      (x) => x.status === 'active' && ('id' in ref ? x.id === ref.id : x.slug === ref.slug),
    );
    const category = p && this.store.categories.get(p.categoryId);
    if (!p || !category) return null;
    return {
      id: p.id,
      slug: p.slug,
      name: { ...p.name },
      description: { ...p.description },
      category: category.slug,
      attributes: { ...p.attributes },
      variants: p.variants.map((v) => ({
        sku: v.sku,
        options: { ...v.options },
        price: this.store.prices.get(v.sku)?.amount ?? null,
      })),
    };
  }

  async categories(): Promise<CategoryRecord[]> {
    const all = [...this.store.categories.values()];
    const out: CategoryRecord[] = [];
    const visit = (parent: CategoryProps | null) => {
      const children = all
        .filter((c) => c.parentId === (parent?.id ?? null))
        .sort((a, b) => (a.slug < b.slug ? -1 : 1));
      for (const c of children) {
        out.push({ slug: c.slug, name: { ...c.name }, parent: parent?.slug ?? null });
        visit(c);
      }
    };
    visit(null);
    return out;
  }

  async variants(skus: readonly string[], _tx?: TransactionHandle): Promise<VariantRecord[]> {
    const wanted = new Set(skus);
    return [...this.store.products.values()].flatMap((p) =>
      p.variants
        .filter((v) => wanted.has(v.sku))
        .map((v) => ({
          sku: v.sku,
          productId: p.id,
          productName: { ...p.name },
          slug: p.slug,
          status: p.status,
          taxClass: p.taxClass,
        })),
    );
  }

  async skuExists(sku: string, _tx?: TransactionHandle): Promise<boolean> {
    return this.store.skuOwners().has(sku);
  }
}

/**
 * A SearchIndex that records what it is asked: the products and categories indexed (with the handle
 * they were indexed in), the refreshes, the queries; `search` answers `result` (empty by default).
 */
export class RecordingSearchIndex implements SearchIndex {
  readonly indexed: { ids: readonly Id[]; tx: TransactionHandle }[] = [];
  readonly indexedCategories: Id[] = [];
  readonly queries: ProductSearchQuery[] = [];
  refreshes = 0;
  result: ProductSearchResult = { items: [], nextCursor: null, facets: [] };

  async search(query: ProductSearchQuery): Promise<ProductSearchResult> {
    this.queries.push(query);
    return this.result;
  }

  async index(productIds: readonly Id[], tx: TransactionHandle): Promise<void> {
    this.indexed.push({ ids: [...productIds], tx });
  }

  async indexCategory(categoryId: Id, _tx: TransactionHandle): Promise<void> {
    this.indexedCategories.push(categoryId);
  }

  async refresh(): Promise<void> {
    this.refreshes += 1;
  }
}

/** Stock per SKU from a map; a SKU not in it is unknown (null), like the default adapter. */
export class MapStockAvailability implements StockAvailability {
  readonly stock = new Map<string, number | null>();

  async availableFor(skus: readonly string[]): Promise<Map<string, number | null>> {
    return new Map(skus.map((sku) => [sku, this.stock.get(sku) ?? null]));
  }
}

export interface CatalogHarness {
  deps: CatalogDeps;
  store: InMemoryCatalogStore;
  uow: InMemoryUnitOfWork<CatalogRepos>;
  search: RecordingSearchIndex;
  stock: MapStockAvailability;
  cache: CatalogCache;
  memory: MemoryCache;
  clock: ManualClock;
  rules: CatalogRules;
}

/**
 * CatalogDeps in memory for a region with locales `en` (default) and `de`, tax classes `standard` and
 * `reduced`, currency EUR. Call `cache.close()` after each test (it repeats invalidations on a timer).
 */
export const catalogHarness = (): CatalogHarness => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const store = new InMemoryCatalogStore();
  const repos = inMemoryCatalogRepos(store);
  const uow = new InMemoryUnitOfWork(repos, catalogEventMapper('eu', clock));
  const rules = catalogRules(['en', 'de'], ['standard', 'reduced']);
  const memory = new MemoryCache(10_000, clock);
  const cache = new CatalogCache({
    cache: memory,
    locales: rules.locales,
    repeatAfterMs: 60_000,
    now: () => clock.now().getTime(),
  });
  const search = new RecordingSearchIndex();
  const stock = new MapStockAvailability();
  const deps: CatalogDeps = {
    uow,
    read: new InMemoryUnitOfWork(repos),
    readModel: new InMemoryCatalogReadModel(store),
    search,
    stock,
    cache,
    clock,
    rules,
    currency: 'EUR',
  };
  return { deps, store, uow, search, stock, cache, memory, clock, rules };
};

let seeded = 0;
/** A fresh v4-shaped id for seeded rows. */
const seedId = (): Id => `00000000-0000-4000-8000-${String(++seeded).padStart(12, '0')}`;

/** Puts a category straight into the store (no use case, no event, no invalidation). */
export const seedCategory = (
  h: Pick<CatalogHarness, 'store' | 'rules' | 'clock'>,
  slug: string,
  opts: { name?: string | Record<string, string>; parent?: string } = {},
): CategoryProps => {
  const parentId = opts.parent ? (h.store.categoryBySlug(opts.parent)?.id ?? null) : null;
  const category = Category.create(
    { id: seedId(), slug, name: opts.name ?? slug, parentId, now: h.clock.now() },
    h.rules,
  );
  h.store.categories.set(category.id, category.snapshot());
  return category.snapshot();
};

/** Puts a product straight into the store (no use case, no event, no invalidation). */
export const seedProduct = (
  h: Pick<CatalogHarness, 'store' | 'rules' | 'clock'>,
  slug: string,
  opts: {
    category: string;
    name?: string | Record<string, string>;
    status?: 'draft' | 'active';
    skus?: string[];
    taxClass?: string;
    archived?: boolean;
  },
): ProductProps => {
  const category = h.store.categoryBySlug(opts.category);
  if (!category) throw new Error(`seed the category ${opts.category} first`);
  const product = Product.create(
    {
      id: seedId(),
      slug,
      name: opts.name ?? slug,
      categoryId: category.id,
      status: opts.status ?? 'active',
      taxClass: opts.taxClass,
      variants: (opts.skus ?? [`${slug.toUpperCase()}-1`]).map((sku, i) => ({
        sku,
        options: { n: String(i) },
      })),
      now: h.clock.now(),
    },
    h.rules,
  );
  if (opts.archived) product.archive(h.clock.now());
  product.pullEvents();
  h.store.products.set(product.id, product.snapshot());
  return product.snapshot();
};

/** Stores a product detail answer for `ref` in the catalog cache, as a storefront read would. */
export const primeDetail = async (
  h: Pick<CatalogHarness, 'cache'>,
  ref: string,
  locale = 'en',
): Promise<void> => {
  await h.cache.product(ref, locale, async () => ({ cached: ref }));
};

/** Whether a product detail read of `ref` would be answered from the cache (without loading). */
export const detailIsCached = async (
  h: Pick<CatalogHarness, 'cache'>,
  ref: string,
  locale = 'en',
): Promise<boolean> => {
  let loaded = false;
  await h.cache.product(ref, locale, async () => {
    loaded = true;
    return null; // "not found" is not stored: the probe leaves the cache as it was
  });
  return !loaded;
};

/** Stores the category tree answer in the catalog cache, as a storefront read would. */
export const primeCategories = async (h: Pick<CatalogHarness, 'cache'>, locale = 'en'): Promise<void> => {
  await h.cache.categories(locale, async () => ['cached']);
};

/** Whether a category tree read would be answered from the cache (a probe that loads stores it). */
export const categoriesAreCached = async (
  h: Pick<CatalogHarness, 'cache'>,
  locale = 'en',
): Promise<boolean> => {
  let loaded = false;
  await h.cache.categories(locale, async () => {
    loaded = true;
    return ['probe'];
  });
  return !loaded;
};

let probes = 0;
/** The listing generation a listing computed now would be cached under (a change of it orphans every cached page). */
export const listingGeneration = async (h: Pick<CatalogHarness, 'cache'>): Promise<string | undefined> => {
  let generation: string | undefined;
  await h.cache.listing(`probe-${++probes}`, 'en', async (g) => {
    generation = g;
    return {};
  });
  return generation;
};
