import type { FastifyReply, FastifyRequest } from 'fastify';

/** A guard runs as a route's `onRequest` hook: callers are authenticated before their body is parsed or validated. */
export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../errors.js';
import { currentRequestContext } from '../logging/request-context.js';

import type { AccessTokenVerifier, Principal, Role } from '../principal.js';

export { type AccessTokenVerifier, type Principal, ROLES, type Role } from '../principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const bearer = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  return match[1]!;
};

/** What a guard demands of the caller; the OpenAPI document derives 401, 403 and security from it. */
export interface GuardPolicy {
  token: 'required' | 'optional';
  /** any one of these roles; empty: any authenticated caller */
  roles: readonly Role[];
}

const POLICY = Symbol.for('shopcore.guard-policy');

const withPolicy = (guard: Guard, policy: GuardPolicy): Guard => Object.assign(guard, { [POLICY]: policy });

/** The policy of the guards among a route's `onRequest` hooks (the strictest one), if it has any. */
export const guardPolicyOf = (onRequest: unknown): GuardPolicy | undefined => {
  const hooks = Array.isArray(onRequest) ? onRequest : [onRequest];
  const policies = hooks
    .map((hook) => (hook as { [POLICY]?: GuardPolicy } | undefined)?.[POLICY])
    .filter((p): p is GuardPolicy => p !== undefined);
  return (
    policies.find((p) => p.roles.length > 0) ?? policies.find((p) => p.token === 'required') ?? policies[0]
  );
};

/** A per-user request budget, checked once the caller is known. */
export type UserRateLimiter = (
  request: FastifyRequest,
) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;

/**
 * Route guards the contexts reuse. `authenticate` requires a valid token, `requireRoles(...)` also a
 * role, `optionalAuth` accepts anonymous callers but verifies a token when one is sent.
 */
export const createGuards = (verifier: AccessTokenVerifier, perUser?: UserRateLimiter) => {
  const resolve = async (request: FastifyRequest, required: boolean): Promise<void> => {
    const token = bearer(request);
    if (!token) {
      if (required) throw new UnauthenticatedError();
      request.principal = null;
      return;
    }
    request.principal = await verifier.verify(token);
    const ctx = currentRequestContext();
    if (ctx) ctx.userId = request.principal.userId;
    if (perUser) {
      const budget = await perUser(request);
      if (!budget.allowed) throw new RateLimitedError(budget.retryAfterSeconds);
    }
  };
  const authenticate: Guard = withPolicy(
    async (request: FastifyRequest, _reply: FastifyReply) => resolve(request, true),
    { token: 'required', roles: [] },
  );
  const optionalAuth: Guard = withPolicy(
    async (request: FastifyRequest, _reply: FastifyReply) => resolve(request, false),
    { token: 'optional', roles: [] },
  );
  const requireRoles = (...roles: Role[]): Guard =>
    withPolicy(
      async (request: FastifyRequest, _reply: FastifyReply) => {
        await resolve(request, true);
        if (!request.principal!.roles.some((r) => roles.includes(r))) {
          throw new ForbiddenError(`This requires one of the roles: ${roles.join(', ')}`);
        }
      },
      { token: 'required', roles },
    );
  return { authenticate, optionalAuth, requireRoles };
};

export type Guards = ReturnType<typeof createGuards>;

/** The authenticated principal of a guarded route. */
export const principalOf = (request: FastifyRequest): Principal => {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
};
