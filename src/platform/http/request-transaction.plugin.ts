import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import { newRequestTransaction } from '../db/connection-guard.js';
import { type RequestTransaction, withRequestTransaction } from '../db/request-transaction.js';
import { contentTypeOf, payloadText } from './idempotency.plugin.js';
import { problem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: the route's use cases commit their own transactions (they call a third party between
     * them) and record their answer at each step themselves (`answerCheckpoint`). Default: a write
     * route's units of work commit together with its answer (request-transaction.ts).
     */
    requestTransaction?: boolean;
  }
  interface FastifyRequest {
    /** the write request's transaction, until it is committed or rolled back in onSend */
    requestTransaction: RequestTransaction | null;
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request runs in a request transaction: writes, unless the route says otherwise. */
export const usesRequestTransaction = (
  method: string,
  config: { requestTransaction?: boolean } | undefined,
) => WRITES.has(method) && config?.requestTransaction !== false;

/**
 * Write requests commit once, with their answer (ADR 0009; the mechanism is
 * `platform/db/request-transaction.ts`): the request's processing runs with a request transaction of
 * its own, which its units of work join; once the answer is serialized (onSend), the answer of an
 * `Idempotency-Key` is stored in that transaction and it commits — then the answer is sent. A 5xx
 * answer rolls it back: nothing of the request happened. A COMMIT that fails turns the answer into
 * 503 UNAVAILABLE, and nothing happened then either. Registered before the idempotency plugin, so
 * that its onSend takes the key's claim first (and its preHandler, which claims the key inside the
 * request transaction, finds it).
 */
export const requestTransactionPlugin = fp(
  async (app: FastifyInstance, { dataSource }: { dataSource: DataSource }) => {
    app.decorateRequest('requestTransaction', null);

    app.addHook('onRequest', (request, reply, done) => {
      if (!request.routeOptions.url || !usesRequestTransaction(request.method, request.routeOptions.config)) {
        done();
        return;
      }
      const tx = newRequestTransaction(dataSource);
      request.requestTransaction = tx;
      // a client that goes away never leaves the connection held: whatever is still open is rolled
      // back once the response is over (it is committed or rolled back in onSend before that)
      reply.raw.once('close', () => {
        if (request.requestTransaction === tx) void tx.abandon();
      });
      withRequestTransaction(tx, () => done());
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const tx = request.requestTransaction;
      if (!tx) return payload;
      request.requestTransaction = null;
      // the key's answer is stored here, with the request's commit (not by the idempotency plugin)
      const claim = request.idempotency;
      request.idempotency = null;
      if (tx.rolledBackUnfinished) return unavailable(request, reply, 'the request was cut short');
      if (reply.statusCode >= 500) {
        // a failure: nothing of the request happens, its claim included (a retry runs afresh)
        await tx.rollback();
        return payload;
      }
      const answer = [reply.statusCode, contentTypeOf(reply), payloadText(payload)] as const;
      // over the claim while the transaction it was taken in is open; after that transaction rolled
      // back (its first unit of work failed), unless a duplicate stored an answer meanwhile
      const claimHeld =
        claim !== null && claim.claimedIn !== null && claim.claimedIn === tx.openTransaction();
      try {
        await tx.commit(
          claim
            ? (manager) =>
                claimHeld ? claim.store(manager, ...answer) : claim.storeIfAbsent(manager, ...answer)
            : undefined,
          (err) => request.log.warn({ err }, 'a step after the commit failed; the answer stands'),
        );
      } catch (err) {
        request.log.warn({ err }, 'the request transaction did not commit; nothing of the request happened');
        return unavailable(request, reply, 'the request could not be completed');
      }
      return payload;
    });
  },
  { name: 'shopcore-request-transaction' },
);

/** The answer becomes 503 UNAVAILABLE + Retry-After: nothing of the request happened, retry it. */
const unavailable = (request: FastifyRequest, reply: FastifyReply, why: string): string => {
  reply
    .code(503)
    .header('retry-after', '1')
    .header('content-type', 'application/problem+json; charset=utf-8')
    .removeHeader('etag')
    .removeHeader('location');
  return JSON.stringify(
    problem(
      503,
      'UNAVAILABLE',
      `The service is busy; ${why}, nothing was done: retry shortly`,
      String(request.id),
    ),
  );
};
