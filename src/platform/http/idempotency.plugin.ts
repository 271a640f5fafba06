import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock.js';
import { AppError, ConflictError, ValidationError } from '../errors.js';

/** Per route: `'optional'` (default for POST), `'required'` (POST /orders), or `false` (not honoured). */
export type IdempotencyMode = 'optional' | 'required' | false;

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotency?: IdempotencyMode;
  }
  interface FastifyRequest {
    /** the claimed record: its `scope` column (the route) and `key` column (the digest), see sealing */
    idempotency: { scope: string; key: string; seal: (plain: string) => string } | null;
  }
}

/** 1–255 printable ASCII characters (API.md); the OpenAPI document states it as the header's pattern. */
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
const sealing = (scope: string, rawKey: string) => {
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
 * `Idempotency-Key` on POST (API.md): the first response to a (caller, path, key) is stored for 24 h
 * and replayed for the same key and body; the same key with another body is 422
 * IDEMPOTENCY_KEY_REUSED; a duplicate that arrives while the first is still running is 409 CONFLICT.
 * Responses of 5xx are not kept, so the client may retry. Records live in Postgres, shared by every
 * instance of the region, and hold nothing readable (see {@link sealing}), so the routes whose
 * responses carry tokens (register, login, refresh) are replayed like any other.
 */
export const idempotencyPlugin = fp(
  async (app: FastifyInstance, { dataSource, clock }: { dataSource: DataSource; clock: Clock }) => {
    app.decorateRequest('idempotency', null);

    const sweep = setInterval(() => {
      dataSource.query('DELETE FROM idempotency_keys WHERE expires_at < now()').catch(() => {});
    }, 10 * 60_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    const claim = async (scope: string, key: string, hash: string): Promise<StoredRow | null> => {
      const now = clock.now();
      const inserted: unknown[] = await dataSource.query(
        `INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, expires_at)
         VALUES ($1, $2, $3, 'in_progress', $4, $5) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
        [scope, key, hash, now, new Date(now.getTime() + TTL_MS)],
      );
      if (inserted.length > 0) return null;
      const [row]: StoredRow[] = await dataSource.query(
        'SELECT request_hash, state, response_status, response_type, response_body, created_at, expires_at FROM idempotency_keys WHERE scope = $1 AND key = $2',
        [scope, key],
      );
      if (!row) return claim(scope, key, hash); // deleted in between (a 5xx first attempt): try again
      const abandoned =
        row.state === 'in_progress' && new Date(row.created_at).getTime() <= now.getTime() - ABANDONED_MS;
      if (abandoned || new Date(row.expires_at).getTime() <= now.getTime()) {
        await dataSource.query(
          'DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at <= $3',
          [scope, key, now],
        );
        return claim(scope, key, hash);
      }
      return row;
    };

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
      const hash = sealed.requestHash(request.body);
      const existing = await claim(route, sealed.id, hash);
      if (!existing) {
        request.idempotency = { scope: route, key: sealed.id, seal: sealed.seal };
        return;
      }
      if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError();
      if (existing.state === 'in_progress') {
        throw new ConflictError(
          'A request with this Idempotency-Key is still being processed; retry shortly',
        );
      }
      reply.header('idempotent-replayed', 'true');
      if (existing.response_type) reply.type(existing.response_type);
      return reply
        .status(existing.response_status ?? 200)
        .serializer((p: unknown) => p as string)
        .send(existing.response_body ? sealed.open(existing.response_body) : '');
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const claimRef = request.idempotency;
      if (!claimRef) return payload;
      request.idempotency = null;
      if (reply.statusCode >= 500) {
        await dataSource.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [
          claimRef.scope,
          claimRef.key,
        ]);
        return payload;
      }
      const body =
        typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      try {
        await dataSource.query(
          `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_type = $4, response_body = $5
            WHERE scope = $1 AND key = $2`,
          [
            claimRef.scope,
            claimRef.key,
            reply.statusCode,
            String(reply.getHeader('content-type') ?? ''),
            body ? claimRef.seal(body) : '',
          ],
        );
      } catch (err) {
        // What was done is done (an order placed, say): the caller gets its true answer, not a 5xx that
        // invites a retry. The record stays in progress — a retry with the key is 409 until it counts as
        // abandoned — and never replays a response it does not hold.
        request.log.warn(
          { err: { message: err instanceof Error ? err.message : String(err) }, status: reply.statusCode },
          'idempotency record not stored (database unavailable); answering with the response as it is',
        );
      }
      return payload;
    });

    // the record of a request that died between claim and response must not block its key forever
    app.addHook('onResponse', async (request) => {
      const claimRef = request.idempotency;
      if (!claimRef) return;
      await dataSource.query(
        "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_progress'",
        [claimRef.scope, claimRef.key],
      );
    });
  },
  { name: 'shopcore-idempotency' },
);
