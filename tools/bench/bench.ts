/**
 * `npm run bench` (and `npm run bench:quick`): the performance targets of docs/product/spec.md, measured from
 * outside against the compiled app (dist/, NODE_ENV=production) in full mode on the local Postgres,
 * Redis and a Kafka-protocol broker. See docs/benchmarks.md for what each scenario does and what the
 * figures mean.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { resolveKafka } from '../../test/support/services.js';
import { growCatalog, searchTerms } from './catalog.js';
import { inParallel, runCheckout } from './checkout.js';
import { type LoadResult, type RequestSpec, runLoad } from './load.js';
import { type Proc, startProcess, waitForHttp } from './processes.js';
import { runRelay } from './relay.js';
import { machine, type Row, table, writeReport } from './report.js';
import { QUICK_FLOORS, TARGETS } from './targets.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    write: { type: 'boolean' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string' },
  },
});
const quick = args.quick === true;
const write = args.write ?? !quick;
const connections = Number(args.connections);
const duration = Number(args.duration ?? (quick ? 3 : 10));
const sizes = quick ? [1000] : [1000, 10_000, 100_000];
const mainSize = quick ? 1000 : 10_000;

const root = path.resolve(import.meta.dirname, '../..');
const t0 = Date.now();
const log = (line: string) =>
  process.stdout.write(`[bench ${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s] ${line}\n`);
const fmt = (r: LoadResult) =>
  `${Math.round(r.rps).toLocaleString('en-US')} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`;

const APP_PORT = 3390;
const STATIC_PORT = 3391;
const ONE_READ_PORT = 3392;
const base = `http://127.0.0.1:${APP_PORT}`;

const main = async (): Promise<number> => {
  if (!existsSync(path.join(root, 'dist/src/main.js')))
    throw new Error('dist/src/main.js is missing: run `npm run build` first');
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = 'shopcore_bench';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version as string;
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch((err) => {
    throw new Error(
      `Redis at ${redisUrl} does not answer (${err.message}); the bench runs the app in full mode`,
    );
  });
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  process.env.SHOPCORE_TEST_NO_DOCKER ??= '1';
  const kafka = await resolveKafka();
  if (!kafka.url) throw new Error(`no Kafka-protocol broker: ${kafka.reason}`);
  log(`services: ${databaseUrl}, ${redisUrl} (Redis ${redisVersion}), broker ${kafka.url} (${kafka.source})`);

  const prefix = `shopcore-bench:${randomBytes(4).toString('hex')}:`;
  const procs: Proc[] = [];
  const db = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  try {
    log('starting the app (compiled, NODE_ENV=production) with the demo catalog');
    const app = startProcess(process.execPath, ['dist/src/main.js'], {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(APP_PORT),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      KAFKA_BROKERS: kafka.url,
      // librdkafka's mock cluster has neither (test/support/kafka-mock-broker.py); against a real
      // Kafka, export KAFKA_IDEMPOTENT=true KAFKA_CREATE_TOPICS=true to bench with them
      KAFKA_IDEMPOTENT: process.env.KAFKA_IDEMPOTENT ?? 'false',
      KAFKA_CREATE_TOPICS: process.env.KAFKA_CREATE_TOPICS ?? 'false',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'true',
      ADMIN_EMAIL: 'bench-admin@example.com',
      ADMIN_PASSWORD: randomBytes(12).toString('hex'),
      FAKE_PSP_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
      JWT_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // the load comes from one address: the per-IP limit would otherwise be what is measured
      RATE_LIMIT_PER_MINUTE: '1000000',
      USER_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    procs.push(app);
    await waitForHttp(app, `${base}/readyz`, 120_000);
    // the demo shop's events (prices, cache invalidations, stock) are still flowing right after the
    // start: measure once the outbox has drained and stayed empty for a few seconds
    await settle(db);
    const region = (await (await fetch(`${base}/api/v1/region`)).json()) as {
      code: string;
      currency: string;
      locales: string[];
    };

    const rows: Row[] = [];
    const curve: { size: number; listing: LoadResult; search: LoadResult }[] = [];
    let oneRead = 0;
    let audit: Awaited<ReturnType<typeof runCheckout>>['audit'] | null = null;
    let relayNote = '';

    const terms = await searchTerms(db);
    const categories = (
      await db.query<{ slug: string }>('SELECT slug FROM catalog_categories ORDER BY slug')
    ).rows.map((r) => r.slug);
    const listing = (i: number): RequestSpec => {
      const attr = i % 3 === 0 ? '&attr.featured=true' : i % 3 === 1 ? '&attr.colour=black' : '';
      const sort = ['newest', 'price_asc', 'price_desc'][i % 3];
      return {
        path: `/api/v1/products?category=${categories[i % categories.length]}&minPrice=${i % 1000}&maxPrice=${100_000 + Math.floor(i / 1000)}&sort=${sort}&limit=20${attr}`,
      };
    };
    const search = (i: number): RequestSpec => ({
      path: `/api/v1/products?q=${encodeURIComponent(terms[i % terms.length] as string)}&minPrice=${Math.floor(i / terms.length)}&limit=20`,
    });
    const measure = async (name: string, spec: (i: number) => RequestSpec): Promise<LoadResult> => {
      const r = await runLoad({ url: base, connections, duration, warmup: quick ? 0.5 : 1, request: spec });
      log(`${name}: ${fmt(r)}`);
      if (r.errors > 0) log(`  statuses ${JSON.stringify(r.statuses)}`);
      return r;
    };

    for (const size of sizes) {
      const grown = await growCatalog(databaseUrl, size, region);
      log(`catalog: ${grown.products} active products (grown in ${grown.seconds.toFixed(1)} s)`);
      const seen = await waitForListing(grown.products);
      log(`  the app lists all ${grown.products} after ${seen.toFixed(1)} s`);
      // the in-process index re-reads the ids and stamps of recent changes for 5 s after them (for
      // transactions that commit late): after a bulk load that is every new row, every second; the
      // scenarios measure the steady state after it
      await new Promise((resolve) => setTimeout(resolve, 6000));
      if (size === mainSize) {
        const baselines = await measureBaselines(databaseUrl, procs, connections, duration);
        oneRead = baselines.oneRead.rps;
        rows.push(
          {
            scenario: 'baseline: bare Fastify, static JSON',
            ...baselines.static,
            ratio: 1,
            baseline: 'static',
          },
          {
            scenario: 'baseline: Fastify + one indexed pg read',
            products: size,
            ...baselines.oneRead,
            ratio: 1,
            baseline: 'one-read',
          },
        );
        const detail = await productDetail(db, baselines.static, measure);
        rows.push({
          scenario: 'product detail, warm cache',
          products: size,
          ...detail,
          ratio: detail.rps / baselines.static.rps,
          baseline: 'static',
          target: `≥ ${TARGETS.detailRatio}× static, p99 < ${TARGETS.detailP99Ms} ms`,
          met: detail.rps / baselines.static.rps >= TARGETS.detailRatio && detail.p99 < TARGETS.detailP99Ms,
        });
      }
      const l = await measure(`listing, uncached, ${size} products`, listing);
      const s = await measure(`search, uncached, ${size} products`, search);
      curve.push({ size, listing: l, search: s });
      if (size === mainSize) {
        for (const [scenario, r] of [
          ['listing, a different filter every request', l],
          ['search, a different query every request', s],
        ] as const) {
          rows.push({
            scenario,
            products: size,
            ...r,
            ratio: r.rps / oneRead,
            baseline: 'one-read',
            target: `≥ ${TARGETS.listingRatio}× one-read`,
            met: r.rps / oneRead >= TARGETS.listingRatio,
          });
        }
        const cart = await addToCart(db, measure);
        rows.push({
          scenario: 'add to cart',
          products: size,
          ...cart,
          ratio: cart.rps / oneRead,
          baseline: 'one-read',
        });

        log(`checkout: preparing ${quick ? 300 : 6000} guest carts through the API`);
        const skus = (
          await db.query<{ sku: string }>(
            `SELECT v.sku FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
              WHERE p.status = 'active' AND p.id NOT IN (SELECT id FROM bench_base) ORDER BY v.sku LIMIT 2000`,
          )
        ).rows.map((r) => r.sku);
        const hot = skus.slice(-10).map((sku) => ({ sku, stock: quick ? 4 : 60 }));
        const co = await runCheckout(
          base,
          db,
          { carts: quick ? 300 : 6000, skus: skus.slice(0, -10), hot, hotEvery: 5, replayEvery: 20 },
          connections,
          log,
        );
        audit = co.audit;
        log(
          `checkout: ${fmt(co.load)} (carts prepared in ${co.prepareSeconds.toFixed(1)} s), statuses ${JSON.stringify(co.load.statuses)}`,
        );
        log(`checkout audit: ${co.audit.ok ? 'passed' : 'FAILED'} ${JSON.stringify(co.audit.facts)}`);
        for (const f of co.audit.findings) log(`  ${f}`);
        rows.push({
          scenario: 'checkout (cart → confirmed order)',
          products: size,
          ...co.load,
          ratio: co.load.rps / oneRead,
          baseline: 'one-read',
          target: `≥ ${TARGETS.checkoutPerSecond} orders/s, audit passes`,
          met: co.load.rps >= TARGETS.checkoutPerSecond && co.audit.ok,
          note: JSON.stringify(co.load.statuses),
        });

        const relay = await runRelay(db, TARGETS.relayPerSecond * 1.2, duration);
        log(
          `outbox relay: ${Math.round(relay.rate)} events/s published of ${Math.round(relay.offered)} offered, lag p50 ${relay.p50.toFixed(0)} ms, p99 ${relay.p99.toFixed(0)} ms, max ${relay.max.toFixed(0)} ms, unpublished ${relay.unpublished}`,
        );
        relayNote = `${relay.events.toLocaleString('en-US')} events offered at ${Math.round(relay.offered).toLocaleString('en-US')}/s; published at ${Math.round(relay.rate).toLocaleString('en-US')}/s; commit-to-publish lag p50 ${relay.p50.toFixed(0)} ms, p99 ${relay.p99.toFixed(0)} ms, max ${relay.max.toFixed(0)} ms; unpublished at the end: ${relay.unpublished}`;
        rows.push({
          scenario: 'outbox relay (events/s; lag ms)',
          rps: relay.rate,
          p50: relay.p50,
          p95: Number.NaN,
          p99: relay.p99,
          errors: relay.unpublished,
          target: `≥ ${TARGETS.relayPerSecond} events/s, p99 lag < ${TARGETS.relayLagP99Ms} ms`,
          met:
            relay.rate >= TARGETS.relayPerSecond &&
            relay.p99 < TARGETS.relayLagP99Ms &&
            relay.unpublished === 0,
        });
      }
    }

    const curveTable = [
      '| products | listing req/s | listing p99 ms | listing ratio | search req/s | search p99 ms | search ratio |',
      '|--:|--:|--:|--:|--:|--:|--:|',
      ...curve.map(
        (c) =>
          `| ${c.size.toLocaleString('en-US')} | ${Math.round(c.listing.rps).toLocaleString('en-US')} | ${c.listing.p99.toFixed(1)} | ${(c.listing.rps / oneRead).toFixed(2)}× | ${Math.round(c.search.rps).toLocaleString('en-US')} | ${c.search.p99.toFixed(1)} | ${(c.search.rps / oneRead).toFixed(2)}× |`,
      ),
    ].join('\n');
    const summary = table(rows);
    process.stdout.write(`\n${summary}\n\nCost curve (ratio to the one-read baseline):\n${curveTable}\n\n`);
    const unmet = rows.filter((r) => r.met === false).map((r) => r.scenario);
    process.stdout.write(
      unmet.length === 0 ? 'Every target met.\n' : `Targets NOT met: ${unmet.join('; ')}\n`,
    );

    if (write) {
      writeReport(
        path.join(root, 'docs/benchmarks.md'),
        [
          `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${connections} connections, ${duration} s per scenario:`,
          '',
          await machine({ postgres: `PostgreSQL ${pgVersion}`, redis: redisVersion }),
          '',
          summary,
          '',
          'Cost curve, uncached listing and search as the catalog grows (ratio to the one-read baseline):',
          '',
          curveTable,
          '',
          `Checkout audit: ${audit?.ok ? 'passed' : 'FAILED'} — ${JSON.stringify(audit?.facts ?? {})}${audit?.findings.length ? `; ${audit.findings.join('; ')}` : ''}`,
          '',
          `Outbox relay: ${relayNote}`,
          '',
          unmet.length === 0 ? 'Every target met.' : `Targets not met: ${unmet.join('; ')} (see below).`,
        ].join('\n'),
      );
      log('wrote docs/benchmarks.md');
    }
    if (!audit?.ok) {
      log('the checkout audit failed');
      return 1;
    }
    if (quick) {
      const byName = new Map(rows.map((r) => [r.scenario, r]));
      const failures = QUICK_FLOORS.filter((f) => (byName.get(f.scenario)?.ratio ?? 0) < f.minRatio).map(
        (f) => `${f.scenario}: ${(byName.get(f.scenario)?.ratio ?? 0).toFixed(3)}× < floor ${f.minRatio}×`,
      );
      for (const f of failures) log(`regression: ${f}`);
      if (failures.length > 0) return 1;
      log('bench:quick: every ratio above its floor');
    }
    return 0;
  } finally {
    await db.end();
    for (const p of procs.reverse()) await p.stop();
    await redis.quit().catch(() => {});
    await kafka.stop();
  }
};

/** Waits until no outbox row is unpublished and none was written for 3 s (at most 60 s). */
const settle = async (db: pg.Pool): Promise<void> => {
  const started = Date.now();
  let quietSince = Date.now();
  let last = -1;
  while (Date.now() - started < 60_000) {
    const { rows } = await db.query<{ pending: number; total: string }>(
      'SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS pending, max(seq)::text AS total FROM outbox',
    );
    const total = Number(rows[0]?.total ?? 0);
    if ((rows[0]?.pending ?? 1) > 0 || total !== last) quietSince = Date.now();
    last = total;
    if (Date.now() - quietSince >= 3000) return;
    await new Promise((r) => setTimeout(r, 250));
  }
};

/**
 * Waits until the app's listing counts every active product (an in-process search index follows the
 * database a little later than the bulk load); returns the seconds waited. The facets count every
 * product but the category filter, so an unknown category (a new one each time: never cached) shows
 * the total.
 */
const waitForListing = async (products: number): Promise<number> => {
  const started = Date.now();
  for (let i = 0; Date.now() - started < 120_000; i++) {
    const r = await fetch(`${base}/api/v1/products?limit=1&category=bench-none-${Date.now()}-${i}`);
    const body = (await r.json()) as { facets?: { categories: { count: number }[] } };
    const total = (body.facets?.categories ?? []).reduce((sum, c) => sum + c.count, 0);
    if (total >= products) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not list all ${products} products within 120 s`);
};

const measureBaselines = async (
  databaseUrl: string,
  procs: Proc[],
  connections: number,
  duration: number,
) => {
  const script = path.join(import.meta.dirname, 'baseline-server.mjs');
  const run = async (kind: string, port: number, route: string) => {
    const p = startProcess(process.execPath, [script, kind, String(port), databaseUrl], process.env);
    procs.push(p);
    await waitForHttp(p, `http://127.0.0.1:${port}${route}`);
    const r = await runLoad({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration,
      request: () => ({ path: route }),
    });
    await p.stop();
    log(`baseline ${kind}: ${fmt(r)}`);
    return r;
  };
  return {
    static: await run('static', STATIC_PORT, '/static'),
    oneRead: await run('one-read', ONE_READ_PORT, '/one-read'),
  };
};

const productDetail = async (
  db: pg.Pool,
  _static: LoadResult,
  measure: (name: string, spec: (i: number) => RequestSpec) => Promise<LoadResult>,
): Promise<LoadResult> => {
  const slugs = (
    await db.query<{ slug: string }>(
      `SELECT slug FROM catalog_products WHERE status = 'active' ORDER BY random() LIMIT 200`,
    )
  ).rows.map((r) => r.slug);
  // warm: each product read once, so that the run measures cache hits
  await inParallel(slugs, 16, async (slug) => {
    const r = await fetch(`${base}/api/v1/products/${slug}`);
    await r.arrayBuffer();
  });
  return measure('product detail, warm cache', (i) => ({
    path: `/api/v1/products/${slugs[i % slugs.length]}`,
  }));
};

const addToCart = async (
  db: pg.Pool,
  measure: (name: string, spec: (i: number) => RequestSpec) => Promise<LoadResult>,
): Promise<LoadResult> => {
  const skus = (
    await db.query<{ sku: string }>(
      // SKUs with plenty of stock: some demo SKUs also end in digits and are sold out on purpose
      // (an add of those is a correct 409 OUT_OF_STOCK, which the runs of 2e4f3a6 and before counted)
      `SELECT sku FROM inventory_stock GROUP BY sku HAVING sum(on_hand - reserved) >= 100000
        ORDER BY random() LIMIT 997`,
    )
  ).rows.map((r) => r.sku);
  const carts: string[] = [];
  await inParallel(
    Array.from({ length: 2000 }, (_, i) => i),
    32,
    async (i) => {
      const r = await fetch(`${base}/api/v1/carts`, { method: 'POST' });
      carts[i] = ((await r.json()) as { id: string }).id;
    },
  );
  return measure('add to cart', (i) => ({
    method: 'POST',
    path: `/api/v1/carts/${carts[i % carts.length]}/items`,
    body: JSON.stringify({ sku: skus[i % skus.length], quantity: 1 }),
  }));
};

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
