import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock.js';
import { afterCommit } from '../db/after-commit.js';
import type { AnswerCheckpoint } from '../db/answer-checkpoint.js';
import { asManager, returnedRows } from '../db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../db/unit-of-work.js';
import { AppError, ConflictError, ValidationError } from '../errors.js';

/** Per route: `'optional'` (default for POST), `'required'` (POST /orders), or `false` (not honoured). */
export type IdempotencyMode = 'optional' | 'required' | false;

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: IdempotencyMode;
  }
  interface FastifyRequest {
    /** this request's Idempotency-Key, until its answer is stored */
    idempotency: IdempotencyClaim | null;
    /**
     * The answer a request with transactions of its own (`requestTransaction: false`) recorded with
     * its effect (see {@link answerCheckpoint}) once that committed: what it answers if a later step
     * fails.
     */
    checkpointAnswer: { status: number; payload: string } | null;
  }
}

/** What runs a statement: the pool (a DataSource), a transaction's EntityManager. */
export interface StatementExecutor {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

/** What a claim found: the key is this request's now, or answered already, or busy, or used for another body. */
export type ClaimOutcome =
  | { kind: 'claimed' }
  | { kind: 'answered'; answer: StoredAnswer }
  | { kind: 'busy' }
  | { kind: 'reused' };

/** A stored answer, opened with the client's key. */
export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * An Idempotency-Key of a request (its row: `scope` column, the route; `key`, the digest — see
 * sealing). Claimed inside the transaction of the request's effect, so that the claim, the effect and
 * the stored answer commit — or roll back — together (ADR 0009).
 */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  /** the transaction the key was claimed in (request-transaction.ts `openTransaction()`), if any */
  claimedIn: number | null;
  /** true once an answer stored in a transaction of the request committed (a checkpoint) */
  answerCommitted: boolean;
  /** claims the key inside `tx`'s open transaction (a transaction-scoped advisory lock and its row) */
  take(tx: StatementExecutor): Promise<ClaimOutcome>;
  /** stores the answer over this request's own row (claimed, or answered by its checkpoint) */
  store(executor: StatementExecutor, status: number, contentType: string, body: string): Promise<void>;
  /** stores the answer unless the key has one (after this request's claim was rolled back) */
  storeIfAbsent(
    executor: StatementExecutor,
    status: number,
    contentType: string,
    body: string,
  ): Promise<void>;
  /** removes this request's row, in the transaction that undid its effect */
  drop(executor: StatementExecutor): Promise<void>;
}

/** 1–255 printable ASCII characters (docs/product/api.md); the OpenAPI document states it as the header's pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
const KEY_RE = IDEMPOTENCY_KEY_PATTERN;

/**
 * How a route honours Idempotency-Key — the rule the preHandler below applies (POSTs, unless the
 * route's config says otherwise). The OpenAPI document declares the header and its statuses from it.
 */
export const idempotencyModeOf = (method: string, config: { idempotency?: IdempotencyMode } | undefined) =>
  method === 'POST' ? (config?.idempotency ?? 'optional') : false;
const TTL_MS = 24 * 60 * 60 * 1000;
/** An `in_progress` claim older than this belonged to a request that died; the key may run again. */
const ABANDONED_MS = 2 * 60 * 1000;

/** JSON with object keys sorted, so that the same body always hashes the same. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/**
 * What a record keeps of the client's key. Nothing in the table lets its reader recover the key, the
 * caller, the request or the response: rows are found by a digest of (scope, key) — the `scope`
 * column holds only the route pattern, never the user id, the client address or the ids in the
 * path; the request body is an HMAC under the key (a login body holds a password); the response is
 * sealed with AES-256-GCM under a key derived from it (register, login and refresh responses hold
 * tokens).
 */
export const sealing = (scope: string, rawKey: string) => {
  const secret = Buffer.from(hkdfSync('sha256', rawKey, scope, 'shopcore idempotency v1', 32));
  return {
    id: createHash('sha256').update(scope).update('\n').update(rawKey).digest('hex'),
    requestHash: (body: unknown) => createHmac('sha256', secret).update(canonical(body)).digest('hex'),
    seal: (plain: string): string => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
    },
    open: (stored: string): string => {
      const raw = Buffer.from(stored.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
};

/**
 * Whose key it is: the user for an authenticated call; for an anonymous one the client address as
 * the rate limiter sees it (`request.ip`, which believes X-Forwarded-For only as far as TRUST_PROXY
 * says). Two guests must not share a record by sending the same key — the first one's answer can be
 * a secret (a new cart's id is its bearer secret) — so a key is only ever replayed to the caller it
 * was first used by, or to one behind the same address (ADR 0009). The path with its query is part
 * of the scope: a key used on another cart or another route is another record.
 */
const callerScope = (request: FastifyRequest): string =>
  `${request.principal ? `user:${request.principal.userId}` : `ip:${request.ip}`} POST ${request.url}`;

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body');
  }
}

interface StoredRow {
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * The claim, in one statement: a transaction-scoped advisory lock on the key (held by a request in
 * flight with it: `busy`, answered 409 at once rather than waited for), the row inserted unless one
 * exists, and the row that was there before (the answer to replay, an expired one to replace).
 */
const CLAIM = `
  WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ' ' || $2, 7275232)) AS got),
  inserted AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, expires_at)
    SELECT $1, $2, $3, 'in_progress', $4, $5 FROM lock WHERE got
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING 1)
  SELECT (SELECT got FROM lock) AS got, EXISTS (SELECT 1 FROM inserted) AS claimed,
         k.request_hash, k.state, k.response_status, k.response_type, k.response_body, k.created_at, k.expires_at
    FROM (SELECT 1) AS one LEFT JOIN idempotency_keys k ON k.scope = $1 AND k.key = $2`;

const UPDATE_ANSWER = `UPDATE idempotency_keys
  SET state = 'done', response_status = $3, response_type = $4, response_body = $5
  WHERE scope = $1 AND key = $2`;

const INSERT_ANSWER = `INSERT INTO idempotency_keys
  (scope, key, request_hash, state, response_status, response_type, response_body, created_at, expires_at)
  VALUES ($1, $2, $3, 'done', $4, $5, $6, $7, $8)
  ON CONFLICT (scope, key) DO NOTHING`;

/** The claim of one Idempotency-Key (exported for its tests). */
export const claimOf = (
  clock: Clock,
  scope: string,
  key: string,
  hash: string,
  sealed: ReturnType<typeof sealing>,
): IdempotencyClaim => {
  const claim: IdempotencyClaim = {
    scope,
    key,
    claimedIn: null,
    answerCommitted: false,
    take: async (tx) => {
      for (;;) {
        const now = clock.now();
        const [row] = returnedRows<StoredRow & { got: boolean; claimed: boolean }>(
          await tx.query(CLAIM, [scope, key, hash, now, new Date(now.getTime() + TTL_MS)]),
        );
        if (!row?.got) return { kind: 'busy' };
        if (row.claimed) return { kind: 'claimed' };
        // The insert met a row this statement's snapshot cannot show: a request with the key committed
        // (and let go of the lock) after the statement began. Look again with a fresh snapshot — never
        // take the missing row for an expired one and delete a committed answer (the effect would run twice).
        if (row.request_hash == null) continue;
        // a row committed before: expired, or left `in_progress` by a process of an older version that
        // died (claims are no longer committed on their own), is replaced under the lock held now
        const stale =
          new Date(row.expires_at).getTime() <= now.getTime() ||
          (row.state === 'in_progress' && new Date(row.created_at).getTime() <= now.getTime() - ABANDONED_MS);
        if (stale) {
          await tx.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
          continue;
        }
        if (row.request_hash !== hash) return { kind: 'reused' };
        if (row.state === 'in_progress') return { kind: 'busy' };
        return {
          kind: 'answered',
          answer: {
            status: row.response_status ?? 200,
            contentType: row.response_type || null,
            body: row.response_body ? sealed.open(row.response_body) : '',
          },
        };
      }
    },
    store: async (executor, status, contentType, body) => {
      await executor.query(UPDATE_ANSWER, [scope, key, status, contentType, body ? sealed.seal(body) : '']);
    },
    storeIfAbsent: async (executor, status, contentType, body) => {
      const now = clock.now();
      await executor.query(INSERT_ANSWER, [
        scope,
        key,
        hash,
        status,
        contentType,
        body ? sealed.seal(body) : '',
        now,
        new Date(now.getTime() + TTL_MS),
      ]);
    },
    drop: async (executor) => {
      await executor.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
    },
  };
  return claim;
};

/** The content type a reply is sent with. */
export const contentTypeOf = (reply: FastifyReply): string => String(reply.getHeader('content-type') ?? '');

/** A serialized payload as text (what onSend hooks get). */
export const payloadText = (payload: unknown): string =>
  typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';

/** Sends a stored answer as it was first sent, marked `idempotent-replayed: true`. */
export const replay = (reply: FastifyReply, answer: StoredAnswer) => {
  reply.header('idempotent-replayed', 'true');
  if (answer.contentType) reply.type(answer.contentType);
  return reply
    .status(answer.status)
    .serializer((p: unknown) => p as string)
    .send(answer.body);
};

/**
 * A request with a stored answer for its key, found inside a use case's transaction (an answer
 * checkpoint's claim): the transaction rolls back, the error handler replays the answer.
 */
export class AnsweredAlready extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('This Idempotency-Key was answered already');
    this.name = 'AnsweredAlready';
  }
}

const refusal = (outcome: { kind: 'busy' | 'reused' }): AppError =>
  outcome.kind === 'reused'
    ? new IdempotencyKeyReusedError()
    : new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * For a route whose use case commits transactions of its own and calls a payment provider between them
 * (`config.requestTransaction: false`): its Idempotency-Key is claimed at the start of the use case's
 * first transaction (`claim`: a key answered already rolls it back and is replayed; one in flight is
 * 409), and the answer the request gives if it stops after its effect is recorded in the transaction
 * that commits that effect (`record`) — stored as the key's answer, and, once committed, what the
 * request answers if a later step fails (the error handler answers it instead of a 5xx). `forget`
 * takes it back in the transaction that undoes the effect. The final answer replaces it (onSend).
 */
export const answerCheckpoint = <A>(
  request: FastifyRequest,
  reply: FastifyReply,
  render: (answer: A) => { status: number; body: unknown },
): AnswerCheckpoint<A> => ({
  claim: async (tx) => {
    const claim = request.idempotency;
    if (!claim) return;
    const outcome = await claim.take(asManager(tx));
    if (outcome.kind === 'answered') throw new AnsweredAlready(outcome.answer);
    if (outcome.kind !== 'claimed') throw refusal(outcome);
  },
  record: async (tx, answer) => {
    const { status, body } = render(answer);
    const payload = String(reply.serializeInput(body as Record<string, unknown>, String(status)));
    const claim = request.idempotency;
    if (claim) await claim.store(asManager(tx), status, JSON_TYPE, payload);
    afterCommit(tx, () => {
      request.checkpointAnswer = { status, payload };
      if (claim) claim.answerCommitted = true;
    });
  },
  forget: async (tx: TransactionHandle) => {
    const claim = request.idempotency;
    if (claim) await claim.drop(asManager(tx));
    afterCommit(tx, () => {
      request.checkpointAnswer = null;
      if (claim) claim.answerCommitted = false;
    });
  },
});

/**
 * `Idempotency-Key` on POST (docs/product/api.md): the first answer to a (caller, path, key) is stored for 24 h and
 * replayed for the same key and body; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED; a
 * duplicate that arrives while the first is still running is 409 CONFLICT. The key is claimed inside
 * the transaction of the request's effect and its answer stored in it (ADR 0009): a request in a
 * request transaction (request-transaction.plugin.ts) claims it here, opening that transaction; a
 * route with transactions of its own claims it in its use case's first one (`answerCheckpoint`). So a
 * 5xx, or a crash, leaves nothing behind — neither the effect nor the claim — and a retry runs
 * afresh; an effect that committed did so with its answer, which a retry gets. Records live in
 * Postgres, shared by every instance of the region, and hold nothing readable (see {@link sealing}).
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, { dataSource, clock }: { dataSource: DataSource; clock: Clock }) => {
    app.decorateRequest('idempotency', null);
    app.decorateRequest('checkpointAnswer', null);

    const sweep = setInterval(() => {
      dataSource.query('DELETE FROM idempotency_keys WHERE expires_at < now()').catch(() => {});
    }, 10 * 60_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    app.addHook('preHandler', async (request: FastifyRequest, reply) => {
      if (request.method !== 'POST') return;
      const mode = request.routeOptions.config?.idempotency ?? 'optional';
      if (mode === false) return;
      const header = request.headers['idempotency-key'];
      if (header === undefined) {
        if (mode === 'required') {
          throw new ValidationError('The Idempotency-Key header is required', [
            { path: 'headers.idempotency-key', message: 'is required' },
          ]);
        }
        return;
      }
      if (typeof header !== 'string' || !KEY_RE.test(header)) {
        throw new ValidationError('The Idempotency-Key header is invalid', [
          { path: 'headers.idempotency-key', message: 'must be 1-255 printable ASCII characters' },
        ]);
      }
      const scope = callerScope(request);
      const route = `POST ${request.routeOptions.url ?? '(no route)'}`;
      const sealed = sealing(scope, header);
      const claim = claimOf(clock, route, sealed.id, sealed.requestHash(request.body), sealed);
      const tx = request.requestTransaction;
      // a route with transactions of its own claims the key in its use case's first one
      if (!tx) {
        request.idempotency = claim;
        return;
      }
      tx.deferCommit();
      const outcome = await tx.within((manager) => claim.take(manager));
      if (outcome.kind === 'claimed') {
        claim.claimedIn = tx.openTransaction();
        request.idempotency = claim;
        return;
      }
      await tx.rollback();
      if (outcome.kind === 'answered') return replay(reply, outcome.answer);
      throw refusal(outcome);
    });

    // The answer of a request that has no request transaction (a route with transactions of its own):
    // stored now, on the pool — over its checkpoint when one committed, else unless a concurrent
    // duplicate stored one first. A 5xx stores nothing: nothing of the request committed (a request
    // whose effect committed answers its checkpoint instead). Request transactions store their
    // answer inside them (request-transaction.plugin.ts) and take the claim first.
    app.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotency;
      if (!claim) return payload;
      request.idempotency = null;
      if (reply.statusCode >= 500) return payload;
      const args = [reply.statusCode, contentTypeOf(reply), payloadText(payload)] as const;
      try {
        if (claim.answerCommitted) await claim.store(dataSource, ...args);
        else await claim.storeIfAbsent(dataSource, ...args);
      } catch (err) {
        // what was done is done: the caller gets its true answer, and a retry finds the answer stored
        // with the effect (the checkpoint), or nothing done
        request.log.warn(
          { err: { message: err instanceof Error ? err.message : String(err) }, status: reply.statusCode },
          'idempotency answer not stored (database unavailable); answering with the response as it is',
        );
      }
      return payload;
    });
  },
  { name: 'shopcore-idempotency' },
);
