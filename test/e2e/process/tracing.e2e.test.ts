import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../../src/platform/db/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { consumeUntil } from '../../support/kafka.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** A span as OTLP/HTTP JSON carries it (only the fields the test reads). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

const attr = (s: OtlpSpan, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;

/** A stand-in OpenTelemetry collector: OTLP/HTTP with JSON bodies, spans kept in memory. */
const startCollector = async (): Promise<{ server: Server; url: string; spans: OtlpSpan[] }> => {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
};

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
};

describe.skipIf(missing('postgres', 'redis', 'kafka'))(
  'OpenTelemetry traces across HTTP, Postgres, Redis and Kafka (npm start with OTEL_EXPORTER_OTLP_ENDPOINT)',
  () => {
    const prefix = `otel${randomBytes(3).toString('hex')}.`;
    const admin = { email: 'otel-admin@example.com', password: 'otel admin password' };
    let collector: Awaited<ReturnType<typeof startCollector>>;
    let db: TestDatabase;
    let child: ChildProcess;
    let base: string;
    let output = '';

    const call = (method: string, url: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const spansOf = (traceId: string) => collector.spans.filter((s) => s.traceId === traceId);

    beforeAll(async () => {
      collector = await startCollector();
      db = await createTestDatabase();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'debug', // request lines are logged at debug
          DATABASE_URL: db.url,
          REDIS_URL: inject('redisUrl')!,
          KAFKA_BROKERS: inject('kafkaBrokers')!,
          KAFKA_TOPIC_PREFIX: prefix,
          KAFKA_IDEMPOTENT: 'false',
          KAFKA_CREATE_TOPICS: 'false',
          SEED_DEMO_DATA: 'false',
          ADMIN_EMAIL: admin.email,
          ADMIN_PASSWORD: admin.password,
          OUTBOX_POLL_INTERVAL_MS: '50',
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
        },
      });
      child.stdout?.on('data', (d) => {
        output += String(d);
      });
      child.stderr?.on('data', (d) => {
        output += String(d);
      });
      await waitFor(
        'the app to be ready',
        () =>
          fetch(`${base}/readyz`).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}:\n${output}`);
      });
    }, 45_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await new Promise((resolve) => collector?.server.close(resolve));
      await db?.drop();
    }, 30_000);

    it('continues an incoming traceparent through the route, its SQL and Redis calls, and the published event', async () => {
      const { traceId, traceparent } = newTraceparent();
      const res = await call(
        'POST',
        '/api/v1/auth/register',
        { email: `otel${Date.now()}@example.com`, password: 'a long password', name: 'Otel Reader' },
        { traceparent },
      );
      expect(res.status).toBe(201);
      const customerId = ((await res.json()) as { customer: { id: string } }).customer.id;

      const kafka = new Kafka({
        clientId: 'otel-reader',
        brokers: inject('kafkaBrokers')!.split(','),
        logLevel: logLevel.NOTHING,
      });
      const [message] = (
        await consumeUntil(kafka, [`${prefix}identity.events`], (m) =>
          m.some((x) => x.headers.ce_subject === customerId),
        )
      ).filter((m) => m.headers.ce_subject === customerId);

      await waitFor(
        'the producer span',
        async () => spansOf(traceId).some((s) => s.kind === PRODUCER),
        10_000,
      );
      const spans = spansOf(traceId);
      const server = spans.find((s) => s.kind === SERVER);
      expect(server?.name).toBe('POST /api/v1/auth/register');
      expect(attr(server!, 'http.route')).toBe('/api/v1/auth/register');
      const clients = spans.filter((s) => s.kind === CLIENT);
      const sql = clients.filter((s) => attr(s, 'db.system.name') === 'postgresql');
      const redis = clients.filter((s) => attr(s, 'db.system.name') === 'redis');
      expect(sql.map((s) => attr(s, 'db.query.text'))).toContainEqual(
        expect.stringMatching(/^INSERT INTO outbox /),
      );
      expect(redis.length).toBeGreaterThan(0); // the Redis-backed rate limit
      // statements carry no values: SQL is parameterised, and Redis spans name only the command
      for (const s of [...sql, ...redis]) expect(attr(s, 'db.query.text') ?? '').not.toContain('otel');
      for (const s of redis) expect(attr(s, 'db.query.text')).toMatch(/^[a-z]+$/);

      // the event's span belongs to the request's trace, and the message carries its context
      const producer = spans.find((s) => s.kind === PRODUCER)!;
      expect(producer.name).toBe(`publish ${prefix}identity.events`);
      expect(attr(producer, 'messaging.message.id')).toBe(message!.headers.ce_id);
      expect(message!.headers.traceparent).toBe(`00-${traceId}-${producer.spanId}-01`);
      // the outbox row the request wrote carries the trace too (what the relay continued from)
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT traceparent FROM outbox WHERE id = $1', [
          message!.headers.ce_id,
        ]);
        expect(rows[0]?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
      } finally {
        await client.end();
      }
      // and the request's log lines carry the same trace id
      const lines = output.split('\n').filter((l) => l.includes('/api/v1/auth/register'));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ traceId });
    });

    it('continues the trace into a consumer of the event', async () => {
      const login = await call('POST', '/api/v1/auth/login', admin, {});
      expect(login.status).toBe(200);
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      const auth = { authorization: `Bearer ${token}` };
      const category = await call(
        'POST',
        '/api/v1/admin/categories',
        { slug: 'otel', name: { en: 'Otel' } },
        auth,
      );
      expect(category.status).toBe(201);

      const { traceId, traceparent } = newTraceparent();
      const product = await call(
        'POST',
        '/api/v1/admin/products',
        {
          slug: `otel-lamp-${Date.now()}`,
          name: { en: 'Traced Lamp' },
          category: 'otel',
          status: 'active',
          variants: [{ sku: `OTEL-${Date.now()}`, options: {} }],
        },
        { ...auth, traceparent },
      );
      expect(product.status).toBe(201);

      // ProductCreated → Kafka → the catalog.cache consumer group of the same app
      await waitFor(
        'the consumer span',
        async () => spansOf(traceId).some((s) => s.kind === CONSUMER),
        20_000,
      );
      const spans = spansOf(traceId);
      const producer = spans.find((s) => s.kind === PRODUCER)!;
      const consumer = spans.find((s) => s.kind === CONSUMER)!;
      expect(consumer.name).toBe(`process ${prefix}catalog.events`);
      expect(consumer.parentSpanId).toBe(producer.spanId);
      expect(attr(consumer, 'messaging.consumer.group.name')).toBe('catalog.cache');
      // the handler's own queries are children of the consumer span
      await waitFor(
        'a span under the consumer span',
        async () => spansOf(traceId).some((s) => s.parentSpanId === consumer.spanId),
        5_000,
      );
    });

    it('records no personal data or credential on a server span: the URL redacted as in access lines, no client address', async () => {
      const { traceId, traceparent } = newTraceparent();
      const email = `otel-guest-${Date.now()}@example.com`;
      const orderId = '7d1f0a3e-5b2c-4c8d-8e9f-1a2b3c4d5e6f';
      const res = await fetch(`${base}/api/v1/orders/${orderId}?email=${encodeURIComponent(email)}`, {
        headers: { traceparent, 'user-agent': 'Otel Guest Phone' },
      });
      expect(res.status).toBe(404);
      await waitFor('the server span', async () => spansOf(traceId).some((s) => s.kind === SERVER), 10_000);
      const server = spansOf(traceId).find((s) => s.kind === SERVER)!;
      expect(attr(server, 'http.route')).toBe('/api/v1/orders/:id');
      expect(attr(server, 'url.path')).toBe('/api/v1/orders/[redacted]');
      expect(attr(server, 'url.query')).toBe('email=[redacted]');
      const keys = server.attributes.map((a) => a.key);
      for (const gone of [
        'client.address',
        'network.peer.address',
        'network.peer.port',
        'user_agent.original',
      ])
        expect(keys).not.toContain(gone);
      const everything = JSON.stringify(collector.spans) + output;
      for (const secret of [email, encodeURIComponent(email), 'Otel Guest Phone']) {
        expect(everything).not.toContain(secret);
      }
    });

    it('makes no spans for probes and scrapes', async () => {
      const { traceId, traceparent } = newTraceparent();
      expect((await fetch(`${base}/healthz`, { headers: { traceparent } })).status).toBe(200);
      expect((await fetch(`${base}/metrics`, { headers: { traceparent } })).status).toBe(200);
      // then a request that is traced: the batch exporter sends spans in the order they ended, so once
      // its span reached the collector, any span of the probes before it would have too
      const marker = newTraceparent();
      expect(
        (await fetch(`${base}/api/v1/region`, { headers: { traceparent: marker.traceparent } })).status,
      ).toBe(200);
      await waitFor(
        'the span of the request after them',
        async () => spansOf(marker.traceId).length > 0,
        10_000,
      );
      expect(spansOf(traceId)).toEqual([]);
    });
  },
);
