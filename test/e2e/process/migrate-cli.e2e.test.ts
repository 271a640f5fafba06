import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../support/database.js';
import { missing } from '../../support/skip.js';

const root = path.resolve(import.meta.dirname, '../../..');
const exec = promisify(execFile);

/** `npm run migrate` as the init container runs it (compiled there; the same module here). */
const migrate = async (env: Record<string, string>) => {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/migrate.cli.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe.skipIf(missing('postgres'))('migrations as a command of their own (src/migrate.cli.ts)', () => {
  const name = `shopcore_m_${randomBytes(6).toString('hex')}`;
  let admin: Client;
  let url: string;
  beforeAll(async () => {
    admin = new Client({ connectionString: inject('postgresUrl') ?? undefined });
    await admin.connect();
    // an empty database, not the migrated template: what a new region starts from
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
    url = withDatabase(inject('postgresUrl')!, name);
  });
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin?.end();
  });

  it('migrates an empty database (two at once, as two pods’ init containers), then finds nothing to do', async () => {
    const [a, b] = await Promise.all([migrate({ DATABASE_URL: url }), migrate({ DATABASE_URL: url })]);
    expect([a.code, b.code], `${a.stderr}${b.stderr}`).toEqual([0, 0]);
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const applied = await db.query('SELECT name FROM schema_migrations');
      expect(applied.rowCount).toBeGreaterThan(5);
      // once each, whichever of the two applied them
      expect(new Set(applied.rows.map((r) => r.name)).size).toBe(applied.rowCount);
      expect((await db.query("SELECT to_regclass('orders_orders') AS t")).rows[0].t).toBe('orders_orders');
    } finally {
      await db.end();
    }
    const again = await migrate({ DATABASE_URL: url });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      msg: 'schema is current',
      count: 0,
    });
  });

  it('fails with one line, and no password, when it cannot migrate', async () => {
    const none = await migrate({});
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('DATABASE_URL is required: the database whose schema to migrate\n');
    const secret = 'Sup3rSecretPw';
    const unreachable = await migrate({
      DATABASE_URL: `postgres://shopcore:${secret}@127.0.0.1:1/${name}`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^migrate failed: /);
    expect(unreachable.stderr + unreachable.stdout).not.toContain(secret);
  });
});
