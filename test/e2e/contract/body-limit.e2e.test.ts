import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';
import { listenOnLoopback } from '../../support/socket.js';

/**
 * A body over BODY_LIMIT_BYTES is 413 PAYLOAD_TOO_LARGE every time, over a real socket: sent at once
 * or slowly, with content-length or chunked, on a fresh connection or a kept-alive one after other
 * requests, or streamed by a client that (like a proxy) reads the answer only once it has sent all.
 * Fastify refuses the body before reading it and closed the connection: a client still sending lost
 * the 413 to EPIPE or a reset, and a proxy in front (Prism, a load balancer) answered 500 for it.
 */

const LIMIT = 1_048_576; // the default BODY_LIMIT_BYTES
const BIG = `{"email":"big@limit.example","password":"${'x'.repeat(3 * LIMIT)}","name":"Big"}`; // 3 MB

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 connection driven by hand: requests written as raw bytes, responses read in order. */
const connect = async (port: number) => {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = Buffer.alloc(0);
  let failure: Error | null = null;
  let closed = false;
  let wake: () => void = () => {};
  socket.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    wake();
  });
  socket.on('error', (err) => {
    failure = err;
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  const take = (): Response | null => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) return null;
    const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    buffer = buffer.subarray(end + 4 + length);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  };
  return {
    /** every write must succeed: a failed one is the client losing its connection mid-request */
    write: (data: string | Buffer) =>
      new Promise<void>((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve()))),
    /** the next response (100 Continue skipped); fails if the connection broke or closed first */
    response: async (): Promise<Response> => {
      for (;;) {
        const r = take();
        if (r && r.status !== 100) return r;
        if (r) continue;
        if (failure) throw failure;
        if (closed) throw new Error('the server closed the connection without an answer');
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    get open() {
      return !closed && !failure && !socket.destroyed;
    },
    close: () => socket.destroy(),
  };
};

const registerHead = (framing: string, extra = '') =>
  `POST /api/v1/auth/register HTTP/1.1\r\nHost: shop\r\ncontent-type: application/json\r\n${framing}${extra}\r\n`;
const slices = (text: string, size: number) => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};
const chunk = (part: string) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
/**
 * A slow client, the behaviour under test (not a wait): a tick between the slices of its body, so that
 * the server sees the body arrive over many reads, as from a client on a slow link.
 */
const trickle = () => new Promise((r) => setTimeout(r, 1));
const HEALTH = 'GET /healthz HTTP/1.1\r\nHost: shop\r\n\r\n';

describe.skipIf(missing('postgres'))('a body over the limit: 413 every time, over a real socket', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    port = Number(new URL(await listenOnLoopback(t.app)).port);
  });
  afterAll(async () => t?.close());

  const expectTooLarge = (r: Response) => {
    expect(r.status, r.body.slice(0, 200)).toBe(413);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // the whole body was read, so the connection is kept for the next request
    expect(r.headers.connection).not.toBe('close');
  };

  it('sent at once with content-length, on a kept-alive connection after other requests, four times over', async () => {
    const c = await connect(port);
    try {
      for (let round = 0; round < 4; round++) {
        await c.write(HEALTH);
        expect((await c.response()).status).toBe(200);
        await c.write(
          `POST /api/v1/auth/login HTTP/1.1\r\nHost: shop\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`,
        );
        expect((await c.response()).status).toBe(400);
        await c.write(registerHead(`content-length: ${Buffer.byteLength(BIG)}\r\n`) + BIG);
        expectTooLarge(await c.response());
      }
      await c.write(HEALTH);
      expect((await c.response()).status).toBe(200);
      expect(c.open).toBe(true);
    } finally {
      c.close();
    }
  });

  it('sent slowly, with content-length or chunked: every write goes through and the 413 comes after', async () => {
    for (const framing of ['content-length', 'chunked'] as const) {
      const c = await connect(port);
      try {
        await c.write(
          registerHead(
            framing === 'chunked'
              ? 'transfer-encoding: chunked\r\n'
              : `content-length: ${Buffer.byteLength(BIG)}\r\n`,
          ),
        );
        let answered = false;
        const answer = c.response().then((r) => {
          answered = true;
          return r;
        });
        for (const part of slices(BIG, 128 * 1024)) {
          await c.write(framing === 'chunked' ? chunk(part) : part); // rejects on EPIPE / reset
          await trickle();
        }
        if (framing === 'chunked') await c.write('0\r\n\r\n');
        expectTooLarge(await answer);
        expect(answered).toBe(true);
        // and the connection still serves
        await c.write(HEALTH);
        expect((await c.response()).status, framing).toBe(200);
      } finally {
        c.close();
      }
    }
  });

  it('chunked in one go, with Expect: 100-continue, and pipelined with the next request', async () => {
    const c = await connect(port);
    try {
      await c.write(
        registerHead('transfer-encoding: chunked\r\n') + slices(BIG, 65536).map(chunk).join('') + '0\r\n\r\n',
      );
      expectTooLarge(await c.response());
      await c.write(
        registerHead(`content-length: ${Buffer.byteLength(BIG)}\r\n`, 'expect: 100-continue\r\n'),
      );
      await c.write(BIG);
      expectTooLarge(await c.response());
      await c.write(registerHead(`content-length: ${Buffer.byteLength(BIG)}\r\n`) + BIG + HEALTH);
      expectTooLarge(await c.response());
      expect((await c.response()).status).toBe(200);
    } finally {
      c.close();
    }
  });

  it('streamed by a client that reads the answer once it has sent everything, as a proxy does', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 6; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/api/v1/auth/register',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BIG) },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject); // EPIPE / ECONNRESET: what a proxy turns into a 500
          const parts = slices(BIG, 256 * 1024);
          const next = () => {
            const part = parts.shift();
            if (part === undefined) req.end();
            else req.write(part, () => setImmediate(next));
          };
          next();
        });
        expect(status).toBe(413);
      }
    } finally {
      agent.destroy();
    }
  });

  it('leaves no Idempotency-Key claimed by a refused body', async () => {
    const key = `big-${Date.now()}`;
    const c = await connect(port);
    try {
      await c.write(
        registerHead(`content-length: ${Buffer.byteLength(BIG)}\r\n`, `idempotency-key: ${key}\r\n`) + BIG,
      );
      expectTooLarge(await c.response());
    } finally {
      c.close();
    }
    const small = JSON.stringify({
      email: `small-${key}@limit.example`,
      password: 'a long password',
      name: 'S',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      payload: small,
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('gives up reading a body declared beyond what it drains: 413 at once, and the connection closed', async () => {
    const c = await connect(port);
    try {
      await c.write(registerHead('content-length: 1000000000\r\n'));
      const r = await c.response();
      expect(r.status).toBe(413);
      expect(r.headers.connection).toBe('close');
    } finally {
      c.close();
    }
  });
});
