import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Guards } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { ArchiveProduct } from '../../application/archive-product.use-case.js';
import { adminCategoryView, adminProductView } from '../../application/catalog-admin.view.js';
import type { ChangeCategory } from '../../application/change-category.use-case.js';
import type { CreateCategory } from '../../application/create-category.use-case.js';
import type { CreateProduct } from '../../application/create-product.use-case.js';
import type { GetAdminProduct } from '../../application/get-admin-product.query.js';
import type { GetProductDetail } from '../../application/get-product-detail.query.js';
import type { ListCategories } from '../../application/list-categories.query.js';
import type { ListProducts } from '../../application/list-products.query.js';
import type { UpdateProduct } from '../../application/update-product.use-case.js';
import {
  ATTRIBUTE_PARAM,
  adminCategorySchema,
  adminProductSchema,
  categoryListSchema,
  createCategoryBody,
  createProductBody,
  idParams,
  listingQuery,
  localeQuery,
  productDetailSchema,
  productPageSchema,
  productRefParams,
  slugParams,
  updateCategoryBody,
  updateProductBody,
} from './catalog.schemas.js';
import { type HttpCachePolicy, resolveLocale, sendCached } from './http-caching.routes.js';

/** The use cases and queries the routes call, one each. */
export interface CatalogRouteServices {
  listProducts: ListProducts;
  productDetail: GetProductDetail;
  categories: ListCategories;
  createProduct: CreateProduct;
  adminProduct: GetAdminProduct;
  updateProduct: UpdateProduct;
  archiveProduct: ArchiveProduct;
  createCategory: CreateCategory;
  changeCategory: ChangeCategory;
}

export interface CatalogRouteDeps {
  services: CatalogRouteServices;
  guards: Guards;
  locales: readonly string[];
  http: HttpCachePolicy;
}

const secured = [{ bearer: [] }];
const storefront = ['catalog'];
const staff = ['catalog', 'admin'];
const notModified = { 304: z.undefined().describe('Not modified: the If-None-Match tag is current') };

export const catalogRoutes: FastifyPluginAsyncZod<CatalogRouteDeps> = async (app, deps) => {
  const { services, guards, locales } = deps;
  const adminOnly = guards.requireRoles('admin');
  const localeOf = (explicit: string | undefined, header: string | undefined) =>
    resolveLocale(explicit, header, locales);

  app.get(
    '/api/v1/products',
    {
      schema: {
        tags: storefront,
        summary: 'Browse and search active products',
        description:
          'Filters: `q` (full text, typo tolerant), `category` (with descendants), `minPrice`/`maxPrice` (lowest variant price, minor units), `attr.<name>=<value>` (repeat for alternatives). Keyset pagination: `nextCursor` continues the same query. Facets count active products matching every filter but the category. Sends ETag/Cache-Control; If-None-Match → 304.',
        querystring: listingQuery,
        response: { ...notModified, 200: productPageSchema, ...problemResponses(400) },
      },
    },
    async (req, reply) => {
      const { q, category, minPrice, maxPrice, sort, limit, cursor, locale, ...rest } = req.query;
      const attributes: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(rest)) {
        const name = ATTRIBUTE_PARAM.exec(key)?.[1];
        if (name) attributes[name] = Array.isArray(value) ? value : [value];
      }
      const resolved = localeOf(locale, req.headers['accept-language']);
      const cached = await services.listProducts.execute({
        q,
        category,
        minPrice,
        maxPrice,
        sort,
        limit,
        cursor,
        attributes,
        locale: resolved,
      });
      return sendCached(req, reply, cached, deps.http, resolved);
    },
  );

  app.get(
    '/api/v1/products/:idOrSlug',
    {
      schema: {
        tags: storefront,
        summary: 'An active product with its variants, prices and availability',
        params: productRefParams,
        querystring: localeQuery,
        response: { ...notModified, 200: productDetailSchema, ...problemResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const locale = localeOf(req.query.locale, req.headers['accept-language']);
      const cached = await services.productDetail.execute(req.params.idOrSlug, locale);
      return sendCached(req, reply, cached, deps.http, locale);
    },
  );

  app.get(
    '/api/v1/categories',
    {
      schema: {
        tags: storefront,
        summary: 'The category tree (parents before children)',
        querystring: localeQuery,
        response: { ...notModified, 200: categoryListSchema, ...problemResponses(400) },
      },
    },
    async (req, reply) => {
      const locale = localeOf(req.query.locale, req.headers['accept-language']);
      return sendCached(req, reply, await services.categories.execute(locale), deps.http, locale);
    },
  );

  app.post(
    '/api/v1/admin/products',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'Create a product (admin)',
        description:
          '`name`/`description`: a string (default locale) or an object keyed by region locales. `category` is a category slug (unknown → 400 on `category`). Duplicate slug or SKU → 409 CONFLICT.',
        security: secured,
        body: createProductBody,
        response: { 201: adminProductSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(adminProductView(await services.createProduct.execute(req.body))),
  );

  app.get(
    '/api/v1/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'A product in any status (admin)',
        security: secured,
        params: idParams,
        response: { 200: adminProductSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return adminProductView(await services.adminProduct.execute(req.params.id));
    },
  );

  app.patch(
    '/api/v1/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'Change a product (admin)',
        description:
          'Partial update. `name`/`description` merge per locale (null removes a translation); `attributes` and `variants` replace the whole value. The storefront sees the change on its next request. An archived product cannot change (409).',
        security: secured,
        params: idParams,
        body: updateProductBody,
        response: { 200: adminProductSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => adminProductView(await services.updateProduct.execute(req.params.id, req.body)),
  );

  app.delete(
    '/api/v1/admin/products/:id',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'Archive a product (admin)',
        description: 'Idempotent: archiving an archived product answers 204 too.',
        security: secured,
        params: idParams,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await services.archiveProduct.execute(req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/admin/categories',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'Create a category (admin)',
        description: 'Unknown parent → 400 on `parent`; duplicate slug → 409 CONFLICT.',
        security: secured,
        body: createCategoryBody,
        response: { 201: adminCategorySchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(adminCategoryView(await services.createCategory.execute(req.body))),
  );

  app.patch(
    '/api/v1/admin/categories/:slug',
    {
      onRequest: adminOnly,
      schema: {
        tags: staff,
        summary: 'Rename or move a category (admin)',
        description: 'Moving a category under itself or a descendant → 409 CONFLICT. Slugs do not change.',
        security: secured,
        params: slugParams,
        body: updateCategoryBody,
        response: { 200: adminCategorySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => adminCategoryView(await services.changeCategory.execute(req.params.slug, req.body)),
  );
};
