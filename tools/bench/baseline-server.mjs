// The two baselines of docs/product/spec.md "Non-functional targets", each a process of its own like the app:
//   static   — a bare Fastify route returning static JSON;
//   one-read — a Fastify route doing one indexed Postgres read (a product row by primary key, a
//              different product every request, pool of 10 like the app's default).
// Plain JavaScript, no logger, no plugins: the floor every scenario is compared with.
// usage: node tools/bench/baseline-server.mjs <static|one-read> <port> [DATABASE_URL]
import Fastify from 'fastify';
import pg from 'pg';

const [kind, port, databaseUrl] = process.argv.slice(2);
const app = Fastify({ logger: false });

if (kind === 'static') {
  const body = {
    id: '6f1c2d9e-8a8b-4c55-9a55-3c1f0e9b7a10',
    slug: 'kestrel-classic-lip-balm',
    name: 'Kestrel Classic Lip Balm',
    price: { amount: 12999, currency: 'EUR' },
    inStock: true,
  };
  app.get('/static', async () => body);
} else if (kind === 'one-read') {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const ids = (
    await pool.query("SELECT id FROM catalog_products WHERE status = 'active' LIMIT 5000")
  ).rows.map((r) => r.id);
  let i = 0;
  app.get('/one-read', async () => {
    i = (i + 1) % ids.length;
    const { rows } = await pool.query(
      'SELECT id, slug, name, price_amount FROM catalog_products WHERE id = $1',
      [ids[i]],
    );
    return rows[0];
  });
} else {
  process.stderr.write(`unknown baseline ${kind}\n`);
  process.exit(2);
}

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
