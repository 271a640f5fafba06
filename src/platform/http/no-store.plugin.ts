import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `Cache-Control: no-store` on every response under the given path prefixes — successes, errors,
 * rate-limit answers and idempotent replays alike — so that no browser or intermediary cache keeps
 * a response that carries tokens or personal data. A prefix covers itself and what is below it
 * (`/api/v1/me` covers `/api/v1/me/addresses`, not `/api/v1/merchants`). The matched route pattern
 * decides, so percent-encoding or a trailing slash cannot dodge it; unmatched URLs go by their path.
 */
export const noStorePlugin = fp(
  async (app: FastifyInstance, { prefixes }: { prefixes: readonly string[] }) => {
    const covered = (request: FastifyRequest): boolean => {
      const path = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
      return prefixes.some((p) => path === p || path.startsWith(`${p}/`));
    };
    app.addHook('onSend', async (request, reply, payload) => {
      if (covered(request)) reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'shopcore-no-store' },
);
