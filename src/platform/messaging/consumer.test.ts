import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './consumer.js';

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a connection-exception SQLSTATE', withCode('08006')],
    ['an administrator shutdown', withCode('57P01')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a wrapped driver error',
      Object.assign(new Error('query failed'), { driverError: withCode('ECONNRESET') }),
    ],
    ['an error with a cause', new Error('outer', { cause: withCode('ETIMEDOUT') })],
    ['an AggregateError of socket errors', new AggregateError([withCode('ECONNREFUSED')], 'connect failed')],
  ])('is true for %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a handler error', new Error('payment provider said no')],
    ['a constraint violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a serialization failure', withCode('40001')],
    ['a non-error', 'ECONNREFUSED'],
  ])('is false for %s', (_what, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
