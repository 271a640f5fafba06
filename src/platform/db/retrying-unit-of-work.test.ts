import { describe, expect, it } from 'vitest';
import { RetryingUnitOfWork, transientCode } from './retrying-unit-of-work.js';
import type { TransactionHandle, UnitOfWork, UnitOfWorkScope } from './unit-of-work.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** A unit of work whose transactions fail with the given errors, in order, then succeed. */
const failing = (errors: Error[]) => {
  let runs = 0;
  const uow: UnitOfWork<null> = {
    run: async <T>(work: (scope: UnitOfWorkScope<null>) => Promise<T>) => {
      runs++;
      const err = errors.shift();
      if (err) throw err;
      return work({} as UnitOfWorkScope<null>);
    },
    join: async <T>(_tx: TransactionHandle, work: (scope: UnitOfWorkScope<null>) => Promise<T>) => {
      runs++;
      const err = errors.shift();
      if (err) throw err;
      return work({} as UnitOfWorkScope<null>);
    },
  };
  return { uow, runs: () => runs };
};

describe('RetryingUnitOfWork', () => {
  it('runs a transaction that lost a race (deadlock, serialization failure) again', async () => {
    const inner = failing([pgError('40P01'), pgError('40001')]);
    const retried: string[] = [];
    const uow = new RetryingUnitOfWork(inner.uow, { baseDelayMs: 1, onRetry: (code) => retried.push(code) });
    await expect(uow.run(async () => 'committed')).resolves.toBe('committed');
    expect(inner.runs()).toBe(3);
    expect(retried).toEqual(['40P01', '40001']);
  });

  it('gives up after the attempts and throws the last error', async () => {
    const inner = failing([pgError('40P01'), pgError('40P01'), pgError('40P01')]);
    const uow = new RetryingUnitOfWork(inner.uow, { attempts: 2, baseDelayMs: 1 });
    await expect(uow.run(async () => 'never')).rejects.toMatchObject({ code: '40P01' });
    expect(inner.runs()).toBe(2);
  });

  it('throws any other error at once, and never retries the caller’s transaction (join)', async () => {
    const other = failing([pgError('23505')]);
    await expect(
      new RetryingUnitOfWork(other.uow, { baseDelayMs: 1 }).run(async () => 1),
    ).rejects.toMatchObject({
      code: '23505',
    });
    expect(other.runs()).toBe(1);
    const joined = failing([pgError('40P01')]);
    const uow = new RetryingUnitOfWork(joined.uow, { baseDelayMs: 1 });
    await expect(uow.join({} as TransactionHandle, async () => 1)).rejects.toMatchObject({ code: '40P01' });
    expect(joined.runs()).toBe(1);
  });

  it('recognises the SQLSTATE on TypeORM’s wrapped errors too', () => {
    expect(transientCode({ driverError: { code: '40001' } })).toBe('40001');
    expect(transientCode(pgError('23505'))).toBeNull();
    expect(transientCode(null)).toBeNull();
  });
});
