import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/platform/config/config.js';
import { createLogger } from '../../../src/platform/logging/logger.js';
import { type Runtime, startRuntime } from '../../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { bearer, json } from '../../support/http.js';
import { missing } from '../../support/skip.js';

/** Collects the JSON lines the app logs. */
class Lines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

/**
 * A query that fails must leave a log line a developer can act on (SQLSTATE code, constraint, table)
 * and nothing a log reader should not see: pg's `detail` of a CHECK violation is the whole row
 * (email, password hash, name), and TypeORM's error carries the SQL and every bound value.
 */
describe.skipIf(missing('postgres'))('database errors in the logs', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const out = new Lines();

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '10000' });
    runtime = await startRuntime(config, { logger: createLogger('info', {}, out), defaultMetrics: false });
  });
  afterAll(async () => {
    await runtime?.close();
    await db?.drop();
  });

  it('logs a failing query of a request with its code and constraint, never the values', async () => {
    const email = `mallory.${Date.now()}@example.com`;
    const password = 'mallory-long-password';
    const reg = await runtime.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password, name: 'Mallory' }),
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const [{ password_hash: hash }] = await runtime.platform.dataSource.query(
      'SELECT password_hash FROM identity_users WHERE email = $1',
      [email],
    );
    // a rule the database enforces and the API does not know: the UPDATE fails with 23514
    await runtime.platform.dataSource.query(
      "ALTER TABLE identity_users ADD CONSTRAINT no_forbidden_names CHECK (name <> 'Forbidden Name')",
    );
    out.lines.length = 0;
    const res = await runtime.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      ...json(
        { name: 'Forbidden Name' },
        { ...bearer(reg.json().accessToken), 'x-request-id': 'db-error-1' },
      ),
    });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('no_forbidden_names');

    const line = out.lines.find((l) => l.requestId === 'db-error-1' && l.level === 'error');
    expect(line, JSON.stringify(out.lines)).toBeDefined();
    expect(line!.err).toMatchObject({
      code: '23514',
      constraint: 'no_forbidden_names',
      table: 'identity_users',
    });
    const everything = JSON.stringify(out.lines);
    for (const secret of [
      email,
      hash,
      'Forbidden Name',
      'Failing row',
      'UPDATE "identity_users"',
      password,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('logs a failing query outside any request (a background task) the same way', async () => {
    const secret = 'secret-value-4711';
    const err = await runtime.platform.dataSource
      .query('SELECT $1::int AS n', [secret])
      .catch((e: unknown) => e);
    out.lines.length = 0;
    runtime.platform.logger.error({ err }, 'periodic task failed');
    runtime.platform.logger.warn({ err: new Error('the sweep failed', { cause: err }) }, 'retrying');
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]!.err).toMatchObject({ code: '22P02' });
    expect((out.lines[1]!.err as { cause: unknown }).cause).toMatchObject({ code: '22P02' });
    expect(JSON.stringify(out.lines)).not.toContain(secret);
  });
});
