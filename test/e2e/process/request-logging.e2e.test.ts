import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/platform/config/config.js';
import { createLogger } from '../../../src/platform/logging/logger.js';
import { type Runtime, startRuntime } from '../../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { missing } from '../../support/skip.js';

/** Collects the JSON lines the app logs. */
class Lines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

describe.skipIf(missing('postgres'))('request logging', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const out = new Lines();

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', RATE_LIMIT_PER_MINUTE: '10000' });
    runtime = await startRuntime(config, { logger: createLogger('debug', {}, out), defaultMetrics: false });
  });
  afterAll(async () => {
    await runtime?.close();
    await db?.drop();
  });

  it('puts the request id, trace id and user id on every line of a request, and no secrets', async () => {
    const password = 'a very secret password';
    const reg = await runtime.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: `log${Date.now()}@example.com`, password, name: 'Logan' }),
    });
    const { customer, accessToken, refreshToken } = reg.json();
    out.lines.length = 0;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await runtime.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'x-request-id': 'req-abc-123',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    expect(res.statusCode).toBe(200);
    const ofRequest = out.lines.filter((l) => l.requestId === 'req-abc-123');
    expect(ofRequest.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    for (const line of ofRequest) expect(line.traceId).toBe(traceId);
    // no line of the request escapes its context (e.g. an access line written before the hooks ran)
    expect(out.lines.filter((l) => l.msg === 'incoming request' && !l.requestId)).toEqual([]);
    const completed = ofRequest.find((l) => l.msg === 'request completed');
    expect(completed?.userId).toBe(customer.id);
    const everything = JSON.stringify(out.lines);
    for (const secret of [password, accessToken, refreshToken]) expect(everything).not.toContain(secret);
  });

  it('starts a trace id of its own when no traceparent comes in', async () => {
    out.lines.length = 0;
    await runtime.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req-no-trace' } });
    const lines = out.lines.filter((l) => l.requestId === 'req-no-trace');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(lines.map((l) => l.traceId)).size).toBe(1);
  });
});
