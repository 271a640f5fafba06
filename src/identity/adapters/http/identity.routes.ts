import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Guards, principalOf } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { AddAddress } from '../../application/add-address.use-case.js';
import type { ChangeAddress } from '../../application/change-address.use-case.js';
import type { CreateStaff } from '../../application/create-staff.use-case.js';
import type { EraseCustomer } from '../../application/erase-customer.use-case.js';
import type { ExportPersonalData } from '../../application/export-personal-data.query.js';
import type { GetProfile } from '../../application/get-profile.query.js';
import type { AccessTokenService } from '../../application/identity.ports.js';
import type { ListAddresses } from '../../application/list-addresses.query.js';
import type { LogIn } from '../../application/log-in.use-case.js';
import type { LogOut } from '../../application/log-out.use-case.js';
import type { RefreshSession } from '../../application/refresh-session.use-case.js';
import type { RegisterCustomer } from '../../application/register-customer.use-case.js';
import type { RemoveAddress } from '../../application/remove-address.use-case.js';
import type { UpdateProfile } from '../../application/update-profile.use-case.js';
import type { Address } from '../../domain/address.entity.js';
import type { User } from '../../domain/user.aggregate.js';
import {
  addressInput,
  addressPatch,
  addressSchema,
  customerSchema,
  exportSchema,
  idParams,
  loginBody,
  refreshBody,
  registerBody,
  staffBody,
  tokensSchema,
  updateMeBody,
} from './identity.schemas.js';

/** The use cases and queries the identity routes call. */
export interface IdentityRouteUseCases {
  register: RegisterCustomer;
  logIn: LogIn;
  refresh: RefreshSession;
  logOut: LogOut;
  profile: GetProfile;
  updateProfile: UpdateProfile;
  erase: EraseCustomer;
  exportData: ExportPersonalData;
  addresses: ListAddresses;
  addAddress: AddAddress;
  changeAddress: ChangeAddress;
  removeAddress: RemoveAddress;
  createStaff: CreateStaff;
}

export interface IdentityRouteDeps {
  useCases: IdentityRouteUseCases;
  tokens: AccessTokenService;
  guards: Guards;
  authRateLimitPerMinute: number;
}

const customerView = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  region: u.region,
  roles: [...u.roles],
  createdAt: u.createdAt.toISOString(),
});

const addressView = (a: Address) => ({
  id: a.id,
  name: a.name,
  line1: a.line1,
  line2: a.line2,
  city: a.city,
  postalCode: a.postalCode,
  country: a.country,
  phone: a.phone,
});

const secured = [{ bearer: [] }];

export const identityRoutes: FastifyPluginAsyncZod<IdentityRouteDeps> = async (app, deps) => {
  const { useCases: uc, tokens, guards } = deps;
  const authLimit = { rateLimit: { max: deps.authRateLimitPerMinute, timeWindow: 60_000 } };

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['identity'],
        summary: "Public keys that verify this region's access tokens",
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return tokens.jwks();
    },
  );

  app.post(
    '/api/v1/auth/register',
    {
      config: authLimit,
      schema: {
        tags: ['identity'],
        summary: 'Register a customer',
        body: registerBody,
        response: { 201: tokensSchema, ...problemResponses(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const { user, session } = await uc.register.execute(req.body);
      return reply.status(201).send({ customer: customerView(user), ...session });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: authLimit,
      schema: {
        tags: ['identity'],
        summary: 'Log in (customers and staff)',
        description:
          'Wrong email and wrong password get the same 401. Failed attempts are also counted per account, whatever ' +
          'address they come from: after `LOGIN_FAILURES_PER_ACCOUNT` (default 10) within `LOGIN_FAILURE_WINDOW_SECONDS` ' +
          '(default 900) of the first, logins to that email answer 429 `RATE_LIMITED` with `Retry-After` until the window ends, ' +
          'the right password included; a successful login starts the count again. An email without an account is ' +
          'counted the same way.',
        body: loginBody,
        response: { 200: tokensSchema, ...problemResponses(400, 401, 429) },
      },
    },
    async (req) => {
      const { user, session } = await uc.logIn.execute(req.body);
      return { customer: customerView(user), ...session };
    },
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      config: authLimit,
      schema: {
        tags: ['identity'],
        summary: 'Exchange a refresh token for a new pair',
        description: 'Each refresh token works once. Presenting a spent one revokes its whole family.',
        body: refreshBody,
        response: { 200: tokensSchema, ...problemResponses(400, 401, 429) },
      },
    },
    async (req) => {
      const { user, session } = await uc.refresh.execute(req.body.refreshToken);
      return { customer: customerView(user), ...session };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Revoke this access token and its refresh family',
        security: secured,
        response: { 204: z.undefined(), ...problemResponses(401) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req) as ReturnType<typeof principalOf> & { familyId: string };
      await uc.logOut.execute({ tokenId: p.tokenId, familyId: p.familyId, expiresAt: p.expiresAt });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'My profile',
        security: secured,
        response: { 200: customerSchema, ...problemResponses(401, 404) },
      },
    },
    async (req) => customerView(await uc.profile.execute(principalOf(req).userId)),
  );

  app.patch(
    '/api/v1/me',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Change my name or email',
        description:
          'Changing the email (what one logs in with) takes the current password in `currentPassword`: ' +
          'without it 400 `VALIDATION_FAILED` naming `currentPassword`; a wrong one 403 `FORBIDDEN`, counted ' +
          'as a failed login of the account, so that too many answer 429 `RATE_LIMITED` (see login). ' +
          'A name-only change (or the same email) needs no password.',
        security: secured,
        body: updateMeBody,
        response: { 200: customerSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => customerView(await uc.updateProfile.execute(principalOf(req).userId, req.body)),
  );

  app.delete(
    '/api/v1/me',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Erase my personal data (GDPR)',
        description:
          'Personal data is scrubbed, every session revoked, orders kept anonymised. Further logins fail.',
        security: secured,
        response: { 204: z.undefined(), ...problemResponses(401, 404) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      await uc.erase.execute(p.userId, { tokenId: p.tokenId, expiresAt: p.expiresAt });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/me/export',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Export all my personal data (GDPR)',
        security: secured,
        response: { 200: exportSchema, ...problemResponses(401, 404) },
      },
    },
    async (req, reply) => {
      const data = await uc.exportData.execute(principalOf(req).userId);
      reply.header('content-disposition', 'attachment; filename="shopcore-personal-data.json"');
      reply.header('cache-control', 'no-store');
      return {
        exportedAt: data.exportedAt.toISOString(),
        profile: customerView(data.profile),
        addresses: data.addresses.map(addressView),
        orders: data.sections.orders ?? [],
        carts: data.sections.carts ?? [],
      };
    },
  );

  app.get(
    '/api/v1/me/addresses',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'My addresses',
        security: secured,
        response: { 200: z.object({ items: z.array(addressSchema) }), ...problemResponses(401, 404) },
      },
    },
    async (req) => ({ items: (await uc.addresses.execute(principalOf(req).userId)).map(addressView) }),
  );

  app.post(
    '/api/v1/me/addresses',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Add an address',
        security: secured,
        body: addressInput,
        response: { 201: addressSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(addressView(await uc.addAddress.execute(principalOf(req).userId, req.body))),
  );

  app.patch(
    '/api/v1/me/addresses/:id',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Change an address',
        security: secured,
        params: idParams,
        body: addressPatch,
        response: { 200: addressSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (req) =>
      addressView(await uc.changeAddress.execute(principalOf(req).userId, req.params.id, req.body)),
  );

  app.delete(
    '/api/v1/me/addresses/:id',
    {
      onRequest: guards.authenticate,
      schema: {
        tags: ['identity'],
        summary: 'Delete an address',
        security: secured,
        params: idParams,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      await uc.removeAddress.execute(principalOf(req).userId, req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/admin/staff',
    {
      onRequest: guards.requireRoles('admin'),
      schema: {
        tags: ['identity', 'admin'],
        summary: 'Create a staff account (admin)',
        security: secured,
        body: staffBody,
        response: { 201: customerSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(customerView(await uc.createStaff.execute(req.body))),
  );
};
