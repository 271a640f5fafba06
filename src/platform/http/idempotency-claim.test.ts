import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { claimOf, type StatementExecutor, sealing } from './idempotency.plugin.js';

/**
 * The claim's reading of its one statement (CLAIM): the insert and the read of the row share the
 * statement's snapshot, so a request that committed the key's answer between the statement's start
 * and its advisory lock leaves a row the insert meets but the read cannot show. That once deleted the
 * committed answer as if it were expired, and the effect ran a second time (two 201s for one key).
 */
describe('an Idempotency-Key claim', () => {
  const scope = 'user:u POST /api/v1/me/addresses';
  const sealed = sealing(scope, 'key-1');
  const hash = sealed.requestHash({ line1: 'x' });
  const clock = new ManualClock('2026-12-07T12:00:00Z');

  /** A transaction that answers CLAIM with the given rows in turn, and records every statement. */
  const executor = (answers: Record<string, unknown>[][]) => {
    const statements: string[] = [];
    const tx: StatementExecutor = {
      query: async (sql) => {
        statements.push(sql.trim().split(/\s+/)[0]!);
        return sql.includes('pg_try_advisory_xact_lock') ? (answers.shift() ?? []) : [];
      },
    };
    return { tx, statements };
  };
  const committedAnswer = {
    got: true,
    claimed: false,
    request_hash: hash,
    state: 'done',
    response_status: 201,
    response_type: 'application/json',
    response_body: sealed.seal('{"id":"first"}'),
    created_at: clock.now(),
    expires_at: new Date(clock.now().getTime() + 60_000),
  };

  it('a row the statement could not see is looked at again, never deleted: the first answer is replayed', async () => {
    const invisible = {
      got: true,
      claimed: false,
      request_hash: null,
      state: null,
      response_status: null,
      response_type: null,
      response_body: null,
      created_at: null,
      expires_at: null,
    };
    const { tx, statements } = executor([[invisible], [committedAnswer]]);
    const outcome = await claimOf(clock, scope, sealed.id, hash, sealed).take(tx);
    expect(outcome).toEqual({
      kind: 'answered',
      answer: { status: 201, contentType: 'application/json', body: '{"id":"first"}' },
    });
    expect(statements).not.toContain('DELETE');
  });

  it('an expired row is replaced under the lock', async () => {
    const expired = { ...committedAnswer, expires_at: new Date(clock.now().getTime() - 1) };
    const { tx, statements } = executor([[expired], [{ got: true, claimed: true }]]);
    expect(await claimOf(clock, scope, sealed.id, hash, sealed).take(tx)).toEqual({ kind: 'claimed' });
    expect(statements.filter((s) => s === 'DELETE')).toHaveLength(1);
  });
});
