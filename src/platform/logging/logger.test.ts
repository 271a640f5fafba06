import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

class Lines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
}

/** The shape of TypeORM's QueryFailedError: pg's DatabaseError fields copied onto it, plus the SQL. */
const queryFailed = (message: string, fields: Record<string, unknown>) => {
  const driverError = Object.assign(new Error(message), { name: 'error', severity: 'ERROR', ...fields });
  return Object.assign(new Error(message), {
    name: 'QueryFailedError',
    severity: 'ERROR',
    ...fields,
    query: 'INSERT INTO identity_users (email, password_hash, name) VALUES ($1, $2, $3)',
    parameters: ['ada@example.com', '$argon2id$v=19$secret-hash', 'Ada Lovelace'],
    driverError,
  });
};

const logged = (err: unknown) => {
  const out = new Lines();
  createLogger('info', {}, out).error({ err }, 'it failed');
  return out.lines[0]!;
};

describe('logger err serializer', () => {
  const unique = queryFailed('duplicate key value violates unique constraint "identity_users_email_key"', {
    code: '23505',
    detail: 'Key (email)=(ada@example.com) already exists.',
    constraint: 'identity_users_email_key',
    table: 'identity_users',
    schema: 'public',
    routine: '_bt_check_unique',
    where: 'SQL function "f" statement 1 ada@example.com',
    hint: 'Ada Lovelace',
  });

  it('keeps the SQLSTATE code, constraint and table of a database error', () => {
    const { err } = logged(unique) as { err: Record<string, unknown> };
    expect(err).toMatchObject({
      type: 'Error',
      code: '23505',
      constraint: 'identity_users_email_key',
      table: 'identity_users',
      message: 'duplicate key value violates unique constraint "identity_users_email_key"',
    });
    expect(err.stack).toEqual(expect.any(String));
    expect(err.driverError).toMatchObject({ code: '23505', constraint: 'identity_users_email_key' });
  });

  it('never writes the bound values, the SQL, pg detail, where or hint — at any depth', () => {
    const wrapped = new Error('saving the user failed', { cause: unique });
    const aggregate = new AggregateError([unique], 'several failed');
    for (const err of [unique, wrapped, aggregate, { nested: unique }]) {
      const line = JSON.stringify(logged(err));
      for (const secret of ['ada@example.com', 'secret-hash', 'Ada Lovelace', 'INSERT INTO', 'Key (email)']) {
        expect(line).not.toContain(secret);
      }
    }
    expect(JSON.stringify(logged(wrapped))).toContain('23505');
  });

  it('takes quoted values out of the message and stack of a data exception (SQLSTATE class 22)', () => {
    const bad = queryFailed('invalid input syntax for type uuid: "ada@example.com"', { code: '22P02' });
    const { err } = logged(bad) as { err: Record<string, string> };
    expect(err.code).toBe('22P02');
    expect(err.message).toBe('invalid input syntax for type uuid: "[redacted]"');
    expect(err.stack).not.toContain('ada@example.com');
    expect(err.stack).toMatch(/\n\s+at /); // the frames stay
    expect(JSON.stringify(logged(new Error('wrapped', { cause: bad })))).not.toContain('ada@example.com');
  });

  it('leaves other errors as pino serializes them', () => {
    const err = Object.assign(new Error('boom "quoted"'), { code: 'ECONNREFUSED', port: 5432 });
    expect(logged(err).err).toMatchObject({
      type: 'Error',
      message: 'boom "quoted"',
      code: 'ECONNREFUSED',
      port: 5432,
    });
    expect(logged('a string').err).toBe('a string');
  });
});

describe('URLs quoted in messages and errors', () => {
  const url = '/api/v1/orders/7d1f0a3e-5b2c-4c8d-8e9f-1a2b3c4d5e6f?email=ada%40example.com&limit=5';

  it('lose their query string values outside the allow-list, in the message of a line', () => {
    const out = new Lines();
    const log = createLogger('info', {}, out);
    log.warn(`Reply was already sent, did you forget to "return reply" in the "${url}" (GET) route?`);
    log.child({ component: 'x' }).info({ n: 1 }, `GET ${url}`);
    const text = JSON.stringify(out.lines);
    expect(text).not.toContain('ada%40example.com');
    expect(out.lines[0]?.msg).toBe(
      'Reply was already sent, did you forget to "return reply" in the "/api/v1/orders/7d1f0a3e-5b2c-4c8d-8e9f-1a2b3c4d5e6f?email=[redacted]&limit=5" (GET) route?',
    );
    expect(out.lines[1]?.msg).toContain('?email=[redacted]&limit=5');
  });

  it('lose them in the message and stack of an error, and its causes', () => {
    const err = new Error('wrapped', { cause: new Error(`fetch ${url} failed`) });
    const line = JSON.stringify(logged(err));
    expect(line).not.toContain('ada%40example.com');
    expect(line).toContain('?email=[redacted]&limit=5');
    // messages without a URL are left alone
    expect(logged(new Error('is the database up? yes/no?')).err).toMatchObject({
      message: 'is the database up? yes/no?',
    });
  });
});
