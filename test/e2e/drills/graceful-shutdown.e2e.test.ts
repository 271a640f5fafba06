import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { waitForLockWaiters } from '../../support/database.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { listenOnLoopback } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

const ADMIN = { email: 'shutdown-admin@shop.example', password: 'admin-password-1' };

/** Raw HTTP/1.1 on one kept-alive socket, so a second request can arrive while the first is in flight. */
const rawClient = (port: number) => {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => {
    received += d;
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    send: (method: string, path: string, body?: unknown) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      socket.write(
        `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n` +
          (payload
            ? `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(payload)}\r\n`
            : '') +
          `\r\n${payload}`,
      );
    },
    /** the status line and headers of each response seen so far, with its body */
    responses: () =>
      received
        .split(/(?=HTTP\/1\.1 \d{3})/)
        .filter(Boolean)
        .map((raw) => {
          const [head, ...rest] = raw.split('\r\n\r\n');
          const lines = (head ?? '').split('\r\n');
          const headers = Object.fromEntries(
            lines
              .slice(1)
              .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
          );
          return { status: Number(lines[0]?.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
        }),
    closed,
  };
};

describe.skipIf(missing('postgres'))('graceful shutdown', () => {
  let t: TestApp;
  let locker: pg.Client;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    locker = new pg.Client({ connectionString: t.db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end().catch(() => {});
    await t?.db.drop();
  });

  it('lets the request in flight finish, and answers one that arrives meanwhile with a problem+json 503', async () => {
    const shop = shopAdmin(t, await loginAs(t, ADMIN));
    const sku = `SHUTDOWN-${Date.now()}`;
    await shop.createProduct([sku]);
    await shop.setPrice(sku, 500);
    await shop.addStock(sku, 10);
    const cart = await t.app.inject({ method: 'POST', url: '/api/v1/carts' });
    const cartId = cart.json().id as string;
    const base = await listenOnLoopback(t.app);
    const client = rawClient(Number(new URL(base).port));
    // the requests the server has received (a listener of the test's own beside Fastify's)
    let received = 0;
    t.app.server.on('request', () => {
      received++;
    });

    // the first request waits on a row lock held outside the app: it is in flight when shutdown begins
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM cart_carts WHERE id = $1 FOR UPDATE', [cartId]);
    client.send('POST', `/api/v1/carts/${cartId}/items`, { sku, quantity: 2 });
    await waitForLockWaiters(locker, 1);
    const closing = t.runtime.close();
    // shutdown has begun once the server stops listening (Fastify closes it after the preClose hooks)
    await waitFor('the server to stop listening', async () => !t.app.server.listening, 5_000, 5);
    client.send('GET', '/api/v1/region');
    // the second request reaches the server while the first still waits on the lock
    await waitFor('the second request to arrive', async () => received === 2, 5_000, 5);
    expect(client.responses()).toEqual([]);
    await locker.query('COMMIT');
    await closing;
    await client.closed;

    const [first, second] = client.responses();
    expect(first?.status).toBe(200);
    expect(JSON.parse(first!.body).items[0]).toMatchObject({ sku, quantity: 2 });
    expect(second?.status).toBe(503);
    expect(second?.headers['content-type']).toContain('application/problem+json');
    expect(second?.headers['retry-after']).toBe('1');
    expect(second?.headers.connection).toBe('close');
    expect(JSON.parse(second!.body)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
  }, 30_000);
});
