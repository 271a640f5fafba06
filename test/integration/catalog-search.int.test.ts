import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

const ADMIN = { ADMIN_EMAIL: 'search-admin@shop.example', ADMIN_PASSWORD: 'admin-password-1' };
let seq = 0;
const uid = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

interface Page {
  items: {
    id: string;
    slug: string;
    name: string;
    price: { amount: number; currency: string } | null;
    category: string;
  }[];
  nextCursor: string | null;
  facets: { categories: { slug: string; count: number }[] };
}

// both SearchIndex adapters answer to the same specification (SEARCH_INDEX: ADR 0022)
describe.skipIf(missing('postgres')).each(['memory', 'postgres'])(
  'catalog search, SEARCH_INDEX=%s (full text, trigram, facets, keyset paging)',
  (engine) => {
    let t: TestApp;
    let token: string;

    const admin = async (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      return res.body ? res.json() : undefined;
    };
    const list = async (query: string, headers: Record<string, string> = {}): Promise<Page> => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/products?${query}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const slugs = (page: Page) => page.items.map((i) => i.slug);
    const product = (
      slug: string,
      name: string | Record<string, string>,
      category: string,
      over: Record<string, unknown> = {},
    ) =>
      admin('POST', '/api/v1/admin/products', {
        slug,
        name,
        category,
        status: 'active',
        variants: [{ sku: `${slug}-1`.toUpperCase(), options: {} }],
        ...over,
      });

    beforeAll(async () => {
      t = await startTestApp({ ...ADMIN, SEARCH_INDEX: engine });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }),
      });
      token = login.json().accessToken;
      await admin('POST', '/api/v1/admin/categories', { slug: 'electronics', name: 'Electronics' });
      await admin('POST', '/api/v1/admin/categories', {
        slug: 'audio',
        name: { en: 'Audio', de: 'Audio' },
        parent: 'electronics',
      });
      await admin('POST', '/api/v1/admin/categories', {
        slug: 'headphones',
        name: { en: 'Headphones', de: 'Kopfhörer' },
        parent: 'audio',
      });
      await admin('POST', '/api/v1/admin/categories', { slug: 'fashion', name: 'Fashion' });
      await admin('POST', '/api/v1/admin/categories', { slug: 'paging', name: 'Paging' });
    });
    afterAll(async () => t?.close());

    describe('text search', () => {
      beforeAll(async () => {
        await product('headphones', { en: 'Headphones', de: 'Kopfhörer' }, 'audio', {
          description: 'Closed-back, for the studio.',
        });
        // says "headphones" more often, and as early, as the product called exactly that
        await product(
          'headphones-bundle',
          'Headphones Bundle: Headphone Case and Headphone Stand',
          'headphones',
          {
            description: 'Headphones, with everything headphones need.',
            attributes: { kind: 'headphones' },
          },
        );
        await product('headphone-stand', 'Headphone Stand', 'audio');
        await product('running-shoes', { en: 'Running Shoes', de: 'Laufschuhe' }, 'fashion', {
          description: 'Light shoes for long runs.',
        });
        await product('draft-headphones', 'Draft Headphones', 'audio', { status: 'draft' });
      });

      it('finds a product despite a one-letter typo (trigram similarity)', async () => {
        // deletion, insertion, substitution, transposition
        for (const typo of ['hedphones', 'headphonnes', 'headphomes', 'haedphones']) {
          const page = await list(`q=${typo}`);
          expect(slugs(page), typo).toContain('headphones');
          expect(slugs(page), typo).toContain('headphones-bundle');
          expect(slugs(page)).not.toContain('running-shoes');
        }
      });

      it('ranks the exact name match first, although full-text rank alone would put another product first', async () => {
        const ds = t.runtime.platform.dataSource;
        const ranks: { slug: string; rank: number }[] = await ds.query(
          `SELECT slug, ts_rank(search_document, websearch_to_tsquery('english', 'headphones')) AS rank
           FROM catalog_products WHERE slug IN ('headphones', 'headphones-bundle')`,
        );
        const rank = Object.fromEntries(ranks.map((r) => [r.slug, Number(r.rank)]));
        expect(rank['headphones-bundle']).toBeGreaterThan(rank.headphones!);

        for (const q of ['headphones', 'HEADPHONES', '  Headphones ']) {
          const page = await list(`q=${encodeURIComponent(q)}`);
          expect(slugs(page)[0], q).toBe('headphones');
          expect(slugs(page)[1], q).toBe('headphones-bundle');
        }
      });

      it('analyses the query in the request language and answers in it', async () => {
        // English stemming: "run" matches "Running" and "runs"
        expect(slugs(await list('q=run'))).toContain('running-shoes');
        // German: the German name is indexed with the German configuration and shown
        const de = await list('q=laufschuh', { 'accept-language': 'de' });
        expect(de.items.find((i) => i.slug === 'running-shoes')?.name).toBe('Laufschuhe');
        // accent-insensitive trigram match on the German name
        expect(slugs(await list('q=kopfhorer&locale=de'))).toContain('headphones');
      });

      it('never returns drafts', async () => {
        expect(slugs(await list('q=draft%20headphones'))).not.toContain('draft-headphones');
      });
    });

    describe('filters and facets', () => {
      const tag = `facets${uid()}`;
      beforeAll(async () => {
        await product(`${tag}-a1`, 'Facet Speaker One', 'audio', {
          attributes: { collection: tag, colour: 'red' },
        });
        await product(`${tag}-a2`, 'Facet Speaker Two', 'audio', {
          attributes: { collection: tag, colour: 'blue' },
        });
        await product(`${tag}-h1`, 'Facet Headset', 'headphones', {
          attributes: { collection: tag, colour: 'red', wireless: true },
        });
        await product(`${tag}-f1`, 'Facet Shirt', 'fashion', {
          attributes: { collection: tag, colour: 'red' },
        });
        // neither a draft nor an archived product is counted
        await product(`${tag}-d1`, 'Facet Draft', 'fashion', {
          attributes: { collection: tag },
          status: 'draft',
        });
        const archived = await product(`${tag}-x1`, 'Facet Archived', 'audio', {
          attributes: { collection: tag },
        });
        await admin('DELETE', `/api/v1/admin/products/${archived.id}`);
      });

      it('counts only active products, per category, ignoring the category filter', async () => {
        const all = await list(`attr.collection=${tag}`);
        expect(all.facets.categories).toEqual([
          { slug: 'audio', count: 2 },
          { slug: 'fashion', count: 1 },
          { slug: 'headphones', count: 1 },
        ]);
        const audioOnly = await list(`attr.collection=${tag}&category=audio`);
        expect(audioOnly.facets).toEqual(all.facets);
        // the category filter includes descendants (headphones is under audio)
        expect(slugs(audioOnly).sort()).toEqual([`${tag}-a1`, `${tag}-a2`, `${tag}-h1`]);
        expect(slugs(await list(`attr.collection=${tag}&category=electronics`)).sort()).toEqual([
          `${tag}-a1`,
          `${tag}-a2`,
          `${tag}-h1`,
        ]);
        expect(slugs(await list(`attr.collection=${tag}&category=no-such-category`))).toEqual([]);
      });

      it('filters by attributes: alternatives within one, all of several, JSON types respected', async () => {
        expect(slugs(await list(`attr.collection=${tag}&attr.colour=red`)).sort()).toEqual([
          `${tag}-a1`,
          `${tag}-f1`,
          `${tag}-h1`,
        ]);
        expect(slugs(await list(`attr.collection=${tag}&attr.colour=red&attr.colour=blue`)).length).toBe(4);
        expect(slugs(await list(`attr.collection=${tag}&attr.colour=red&attr.wireless=true`))).toEqual([
          `${tag}-h1`,
        ]);
        const facets = (await list(`attr.collection=${tag}&attr.colour=red`)).facets.categories;
        expect(facets).toEqual([
          { slug: 'audio', count: 1 },
          { slug: 'fashion', count: 1 },
          { slug: 'headphones', count: 1 },
        ]);
      });
    });

    describe('prices from the PriceChanged projection', () => {
      const tag = `priced${uid()}`;
      const amounts: Record<string, number | null> = { cheap: 999, mid: 2499, dear: 8999, none: null };
      beforeAll(async () => {
        for (const [name, amount] of Object.entries(amounts)) {
          const slug = `${tag}-${name}`;
          await product(slug, `Priced ${name}`, 'fashion', {
            attributes: { collection: tag },
            variants: [
              { sku: `${slug}-A`.toUpperCase(), options: { size: 'S' } },
              { sku: `${slug}-B`.toUpperCase(), options: { size: 'L' } },
            ],
          });
          if (amount !== null) {
            // through pricing: PUT → PriceChanged in the outbox → relay → the catalog's consumer
            await admin('PUT', `/api/v1/admin/prices/${slug.toUpperCase()}-A`, { amount: amount + 500 });
            await admin('PUT', `/api/v1/admin/prices/${slug.toUpperCase()}-B`, { amount });
          }
        }
        await waitFor('the price projection', async () => {
          const page = await list(`attr.collection=${tag}&limit=10`);
          return page.items.every((i) => (i.price?.amount ?? null) === amounts[i.slug.slice(tag.length + 1)]);
        });
      });

      it('shows the lowest variant price and per-variant prices in the region currency', async () => {
        const page = await list(`attr.collection=${tag}&limit=10`);
        const cheap = page.items.find((i) => i.slug === `${tag}-cheap`)!;
        expect(cheap.price).toEqual({ amount: 999, currency: 'EUR' });
        const detail = await t.app.inject({ method: 'GET', url: `/api/v1/products/${tag}-cheap` });
        expect(detail.json().variants.map((v: { price: unknown }) => v.price)).toEqual([
          { amount: 1499, currency: 'EUR' },
          { amount: 999, currency: 'EUR' },
        ]);
      });

      it('sorts by price both ways with unpriced products last, and filters by a price range', async () => {
        expect(slugs(await list(`attr.collection=${tag}&sort=price_asc`))).toEqual(
          ['cheap', 'mid', 'dear', 'none'].map((n) => `${tag}-${n}`),
        );
        expect(slugs(await list(`attr.collection=${tag}&sort=price_desc`))).toEqual(
          ['dear', 'mid', 'cheap', 'none'].map((n) => `${tag}-${n}`),
        );
        expect(
          slugs(await list(`attr.collection=${tag}&minPrice=1000&maxPrice=8999&sort=price_asc`)),
        ).toEqual([`${tag}-mid`, `${tag}-dear`]);
        expect(slugs(await list(`attr.collection=${tag}&maxPrice=999`))).toEqual([`${tag}-cheap`]);
      });

      it('follows a price change', async () => {
        await admin('PUT', `/api/v1/admin/prices/${tag.toUpperCase()}-DEAR-B`, { amount: 100 });
        await waitFor('the new price', async () => {
          const first = (await list(`attr.collection=${tag}&sort=price_asc`)).items[0]!;
          return first.slug === `${tag}-dear` && first.price?.amount === 100;
        });
      });
    });

    describe('keyset pagination while products are being added', () => {
      const tag = `paging${uid()}`;
      const initial: string[] = [];
      beforeAll(async () => {
        for (let i = 0; i < 45; i++) {
          const slug = `${tag}-${i}`;
          const p = await product(slug, `Paging Widget ${i}`, 'paging', {
            attributes: { collection: tag },
            variants: [{ sku: slug.toUpperCase(), options: {} }],
          });
          initial.push(p.id);
          // a third of them priced, with ties, so that price sorts meet both equal keys and missing prices
          if (i % 3 === 0)
            await admin('PUT', `/api/v1/admin/prices/${slug.toUpperCase()}`, { amount: 1000 + (i % 4) });
        }
        await waitFor('paging prices', async () => {
          const [row] = await t.runtime.platform.dataSource.query(
            `SELECT count(*)::int AS n FROM catalog_products WHERE slug LIKE $1 AND price_amount IS NOT NULL`,
            [`${tag}-%`],
          );
          return row.n === 15;
        });
      });

      for (const [sort, extra] of [
        ['newest', ''],
        ['price_asc', ''],
        ['price_desc', ''],
        ['relevance', '&q=paging%20widget'],
      ] as const) {
        it(`returns every product that existed at the start exactly once (sort=${sort})`, async () => {
          const seen: string[] = [];
          let cursor: string | null = null;
          let inserted = 0;
          let pages = 0;
          // every page request races with the insert of a new product into the same listing
          const insertOne = async () => {
            if (inserted >= 12) return;
            const slug = `${tag}-${sort.replace('_', '-')}-new-${inserted++}`;
            await product(slug, `Paging Widget new ${inserted}`, 'paging', {
              attributes: { collection: tag },
              variants: [{ sku: slug.toUpperCase(), options: {} }],
            });
          };
          do {
            const [page]: [Page, unknown] = await Promise.all([
              list(
                `attr.collection=${tag}&sort=${sort}&limit=4${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
              ),
              insertOne(),
            ]);
            seen.push(...page.items.map((i) => i.id));
            cursor = page.nextCursor;
            pages++;
            expect(pages).toBeLessThan(100);
          } while (cursor);
          expect(inserted).toBe(12);
          expect(new Set(seen).size).toBe(seen.length); // no duplicates
          for (const id of initial) expect(seen.filter((s) => s === id)).toHaveLength(1); // no gaps
          expect(pages).toBeGreaterThan(10);
        });
      }

      it('rejects a cursor used with another query', async () => {
        const page = await list(`attr.collection=${tag}&sort=newest&limit=2`);
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/v1/products?attr.collection=${tag}&sort=price_asc&limit=2&cursor=${page.nextCursor}`,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([
          { path: 'query.cursor', message: expect.stringContaining('different') },
        ]);
      });
    });
  },
);
