import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Cache } from '../../src/platform/cache/cache.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

const ADMIN = { ADMIN_EMAIL: 'cache-admin@shop.example', ADMIN_PASSWORD: 'admin-password-1' };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

const login = async (t: TestApp): Promise<string> => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().accessToken;
};

const adminCall = async (t: TestApp, token: string, method: string, url: string, body?: unknown) => {
  const res = await t.app.inject({
    method: method as 'POST',
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

const get = (t: TestApp, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

/** cache_operations_total{cache, result} from /metrics. */
const cacheOps = async (t: TestApp, cache: string, result: string): Promise<number> => {
  const text = (await get(t, '/metrics')).body;
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('cache_operations_total{') &&
        l.includes(`cache="${cache}"`) &&
        l.includes(`result="${result}"`),
    );
  return line ? Number(line.split(' ').pop()) : 0;
};

/** Waits until the relay has delivered every outbox event of this aggregate (and its consumers ran). */
const eventsDelivered = (t: TestApp, subject: string) =>
  waitFor(`events of ${subject} delivered`, async () => {
    const [row] = await t.runtime.platform.dataSource.query(
      'SELECT count(*)::int AS pending FROM outbox WHERE subject = $1 AND published_at IS NULL',
      [subject],
    );
    return row.pending === 0;
  });

/** Counts the commands an instance sends to its cache while `work` runs. */
const countCacheCalls = async (cache: Cache, work: () => Promise<unknown>) => {
  const methods = ['get', 'set', 'setIfAbsent', 'del', 'exists'] as const;
  const spies = methods.map((m) => vi.spyOn(cache, m));
  try {
    await work();
    return Object.fromEntries(methods.map((m, i) => [m, spies[i]!.mock.calls.length]));
  } finally {
    for (const s of spies) s.mockRestore();
  }
};

describe.skipIf(missing('postgres', 'redis'))(
  'catalog cache across two instances sharing Postgres and Redis',
  () => {
    let a: TestApp;
    let b: TestApp;
    let token: string;
    let redis: Redis;
    const category = unique('cache-cat');

    const createProduct = (name = 'Cached Kettle', over: Record<string, unknown> = {}) => {
      const slug = unique('kettle');
      return adminCall(a, token, 'POST', '/api/v1/admin/products', {
        slug,
        name,
        category,
        status: 'active',
        attributes: { collection: category },
        variants: [{ sku: slug.toUpperCase(), options: {} }],
        ...over,
      });
    };

    beforeAll(async () => {
      a = await startTestApp(ADMIN, { redis: true });
      b = await startTestApp(ADMIN, { redis: true, db: a.db });
      token = await login(a);
      redis = new Redis(inject('redisUrl')!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      await adminCall(a, token, 'POST', '/api/v1/admin/categories', { slug: category, name: 'Kettles' });
    });
    afterAll(async () => {
      redis?.disconnect();
      await b?.close();
      await a?.close();
    });

    it('serves a product detail hit with one cache round trip, from an entry with a short TTL', async () => {
      expect(b.runtime.platform.cache.kind).toBe('redis');
      const p = await createProduct();
      await eventsDelivered(a, p.id);
      const miss = await get(b, `/api/v1/products/${p.slug}`);
      expect(miss.statusCode).toBe(200);
      const key = `shopcore:eu:catalog:v1:p:en:${p.slug}`;
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);

      const hitsBefore = await cacheOps(b, 'catalog_product', 'hit');
      let hit: Awaited<ReturnType<typeof get>> | undefined;
      const calls = await countCacheCalls(b.runtime.platform.cache, async () => {
        hit = await get(b, `/api/v1/products/${p.slug}`);
      });
      expect(calls).toEqual({ get: 1, set: 0, setIfAbsent: 0, del: 0, exists: 0 });
      expect(hit!.statusCode).toBe(200);
      expect(hit!.body).toBe(miss.body);
      expect(hit!.headers.etag).toBe(miss.headers.etag);
      expect(await cacheOps(b, 'catalog_product', 'hit')).toBe(hitsBefore + 1);
    });

    it('an admin PATCH on A is visible on B at the next request: detail by slug and by id, and listings', async () => {
      const p = await createProduct('Copper Kettle');
      const listing = `/api/v1/products?attr.collection=${category}&limit=100`;
      // warm B's caches (twice, so the second read is a hit)
      for (let i = 0; i < 2; i++) {
        expect((await get(b, `/api/v1/products/${p.slug}`)).json().name).toBe('Copper Kettle');
        expect((await get(b, `/api/v1/products/${p.id}`)).json().name).toBe('Copper Kettle');
        const page = (await get(b, listing)).json();
        expect(page.items.find((i: { id: string }) => i.id === p.id).name).toBe('Copper Kettle');
      }
      await adminCall(a, token, 'PATCH', `/api/v1/admin/products/${p.id}`, { name: 'Brass Kettle' });

      expect((await get(b, `/api/v1/products/${p.slug}`)).json().name).toBe('Brass Kettle');
      expect((await get(b, `/api/v1/products/${p.id}`)).json().name).toBe('Brass Kettle');
      const page = (await get(b, listing)).json();
      expect(page.items.find((i: { id: string }) => i.id === p.id).name).toBe('Brass Kettle');
    });

    it('answers 304 to a current If-None-Match and 200 with a new ETag once the product changed', async () => {
      const p = await createProduct('Steel Kettle');
      const first = await get(b, `/api/v1/products/${p.slug}`);
      const etag = first.headers.etag as string;
      expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      const revalidated = await get(a, `/api/v1/products/${p.slug}`, { 'if-none-match': etag });
      expect(revalidated.statusCode).toBe(304);
      expect(revalidated.body).toBe('');

      await adminCall(a, token, 'PATCH', `/api/v1/admin/products/${p.id}`, {
        description: 'Now with a whistle.',
      });
      const changed = await get(b, `/api/v1/products/${p.slug}`, { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().description).toBe('Now with a whistle.');
      expect(changed.headers.etag).not.toBe(etag);

      const listing = `/api/v1/products?attr.collection=${category}`;
      const page = await get(b, listing);
      expect((await get(b, listing, { 'if-none-match': page.headers.etag as string })).statusCode).toBe(304);
    });

    it('an archive on A removes the product from B at once', async () => {
      const p = await createProduct();
      expect((await get(b, `/api/v1/products/${p.slug}`)).statusCode).toBe(200);
      await adminCall(a, token, 'DELETE', `/api/v1/admin/products/${p.id}`);
      expect((await get(b, `/api/v1/products/${p.slug}`)).statusCode).toBe(404);
      expect((await get(b, `/api/v1/products/${p.id}`)).statusCode).toBe(404);
    });

    it('a price change (PriceChanged through the outbox) reaches B’s cached detail and listings', async () => {
      const p = await createProduct();
      const sku = p.variants[0].sku;
      const listing = `/api/v1/products?attr.collection=${category}&limit=100`;
      expect((await get(b, `/api/v1/products/${p.slug}`)).json().variants[0].price).toBeNull();
      await get(b, listing);
      await adminCall(a, token, 'PUT', `/api/v1/admin/prices/${sku}`, { amount: 4599 });
      await waitFor('the new price on B', async () => {
        const detail = (await get(b, `/api/v1/products/${p.slug}`)).json();
        return detail.variants[0].price?.amount === 4599;
      });
      const item = (await get(b, listing)).json().items.find((i: { id: string }) => i.id === p.id);
      expect(item.price).toEqual({ amount: 4599, currency: 'EUR' });
    });

    it('a stale entry stored after the invalidation (a reader racing the commit) is gone within about a second', async () => {
      const p = await createProduct('Glass Kettle');
      await adminCall(a, token, 'PATCH', `/api/v1/admin/products/${p.id}`, { name: 'Clay Kettle' });
      await eventsDelivered(a, p.id);
      // what a reader that loaded before the commit would write after the first delete
      const stale = JSON.stringify({
        ...(await get(b, `/api/v1/products/${p.slug}`)).json(),
        name: 'Glass Kettle',
      });
      await redis.set(`shopcore:eu:catalog:v1:p:en:${p.slug}`, `"stale"\n${stale}`, 'EX', 30);
      expect((await get(b, `/api/v1/products/${p.slug}`)).json().name).toBe('Glass Kettle');
      const started = Date.now();
      await waitFor('the repeated invalidation', async () => {
        return (await get(b, `/api/v1/products/${p.slug}`)).json().name === 'Clay Kettle';
      });
      expect(Date.now() - started).toBeLessThan(3000);
    });
  },
);

describe.skipIf(missing('postgres'))('catalog reads while Redis is down', () => {
  const DEAD_REDIS = { ...ADMIN, REDIS_URL: 'redis://127.0.0.1:1' };
  let c: TestApp;
  let token: string;
  const category = unique('dead-redis');
  afterEach(() => vi.restoreAllMocks());

  beforeAll(async () => {
    c = await startTestApp(DEAD_REDIS);
    token = await login(c);
    await adminCall(c, token, 'POST', '/api/v1/admin/categories', { slug: category, name: 'Teapots' });
  });
  afterAll(async () => c?.close());

  it('serves detail, listings and categories from Postgres and counts the cache errors', async () => {
    expect(c.runtime.platform.cache.kind).toBe('redis');
    const slug = unique('teapot');
    const p = await adminCall(c, token, 'POST', '/api/v1/admin/products', {
      slug,
      name: 'Cast Iron Teapot',
      category,
      status: 'active',
      variants: [{ sku: slug.toUpperCase(), options: {} }],
    });
    const errorsBefore = await cacheOps(c, 'catalog_product', 'error');

    const detail = await get(c, `/api/v1/products/${slug}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().name).toBe('Cast Iron Teapot');
    const listing = await get(c, `/api/v1/products?category=${category}`);
    expect(listing.statusCode).toBe(200);
    expect(listing.json().items.map((i: { id: string }) => i.id)).toEqual([p.id]);
    const categories = await get(c, '/api/v1/categories');
    expect(categories.statusCode).toBe(200);
    expect(categories.json()).toContainEqual({ slug: category, name: 'Teapots', parent: null });

    expect(await cacheOps(c, 'catalog_product', 'error')).toBeGreaterThan(errorsBefore);
    expect(await cacheOps(c, 'catalog_listing', 'error')).toBeGreaterThan(0);
    expect(await cacheOps(c, 'catalog_categories', 'error')).toBeGreaterThan(0);
    expect(await cacheOps(c, 'catalog_invalidation', 'error')).toBeGreaterThan(0);
    // ETag and 304 do not need the cache
    const again = await get(c, `/api/v1/products/${slug}`, {
      'if-none-match': detail.headers.etag as string,
    });
    expect(again.statusCode).toBe(304);
  });

  it('admin changes still succeed and show at once', async () => {
    const slug = unique('teapot');
    const p = await adminCall(c, token, 'POST', '/api/v1/admin/products', {
      slug,
      name: 'Porcelain Teapot',
      category,
      status: 'active',
      variants: [{ sku: slug.toUpperCase(), options: {} }],
    });
    expect((await get(c, `/api/v1/products/${slug}`)).json().name).toBe('Porcelain Teapot');
    await adminCall(c, token, 'PATCH', `/api/v1/admin/products/${p.id}`, { name: 'Stoneware Teapot' });
    expect((await get(c, `/api/v1/products/${slug}`)).json().name).toBe('Stoneware Teapot');
    await adminCall(c, token, 'DELETE', `/api/v1/admin/products/${p.id}`);
    expect((await get(c, `/api/v1/products/${slug}`)).statusCode).toBe(404);
  });
});
