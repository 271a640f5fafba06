import { z } from 'zod';
import { moneySchema as money } from '../../../platform/http/schemas.js';
import { PRODUCT_SORTS } from '../../application/search-index.port.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../domain/slug.value-object.js';

/**
 * Shapes at the edge. Region-specific rules (which locales, which tax classes) and cross-record rules
 * (unique SKUs, known categories) are the domain's and the use cases'; they answer 400/409 with field
 * paths in the same form.
 */
const slug = z
  .string()
  .min(1)
  .max(SLUG_MAX_LENGTH)
  .regex(SLUG_PATTERN, 'must be lower-kebab-case (a-z, 0-9 and single hyphens)');
const localeKey = z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as "en"');
const localized = (max: number) =>
  z.union([z.string().max(max), z.record(localeKey, z.string().max(max))], {
    error: 'must be a string (the default locale) or an object of strings keyed by locale',
  });
const localizedPatch = (max: number) =>
  z.union([z.string().max(max), z.record(localeKey, z.string().max(max).nullable())], {
    error: 'must be a string (the default locale) or an object keyed by locale (null removes a translation)',
  });

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean()], {
  error: 'must be a string, a number or a boolean',
});
const attributes = z.record(z.string().max(64), attributeValue).describe('flat JSON object');
const variant = z.strictObject({
  sku: z.string().min(1).max(64),
  options: z.record(z.string().max(64), z.string().max(100)).default({}),
});
const variants = z.array(variant).min(1, 'a product needs at least one variant').max(100);
const taxClass = z.string().min(1).max(32).describe("one of the region's tax classes (default standard)");

const distinctSkus = (list: { sku: string }[] | undefined, ctx: z.RefinementCtx) => {
  const seen = new Map<string, number>();
  list?.forEach((v, i) => {
    const first = seen.get(v.sku.toLowerCase());
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'sku'],
        message: `repeats variants.${first}.sku`,
      });
    } else seen.set(v.sku.toLowerCase(), i);
  });
};

export const createProductBody = z
  .strictObject({
    slug,
    name: localized(200),
    description: localized(10_000).optional(),
    category: slug.describe('category slug'),
    attributes: attributes.optional(),
    status: z.enum(['draft', 'active']).optional().describe('default draft'),
    taxClass: taxClass.optional(),
    variants,
  })
  .superRefine((b, ctx) => distinctSkus(b.variants, ctx));

export const updateProductBody = z
  .strictObject({
    slug: slug.optional(),
    name: localizedPatch(200).optional(),
    description: localizedPatch(10_000).optional(),
    category: slug.optional(),
    attributes: attributes.optional().describe('replaces all attributes'),
    status: z.enum(['draft', 'active', 'archived']).optional(),
    taxClass: taxClass.optional(),
    variants: variants.optional().describe('replaces all variants'),
  })
  .superRefine((b, ctx) => {
    if (Object.values(b).every((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'send at least one field' });
    }
    distinctSkus(b.variants, ctx);
  });

export const createCategoryBody = z.strictObject({
  slug,
  name: localized(100),
  parent: slug.nullable().optional().describe('slug of the parent category'),
});

export const updateCategoryBody = z
  .strictObject({
    name: localizedPatch(100).optional(),
    parent: slug.nullable().optional().describe('slug of the new parent; null moves to the root'),
  })
  .refine((b) => b.name !== undefined || b.parent !== undefined, { message: 'send name or parent' });

export const idParams = z.strictObject({ id: z.uuid('must be a UUID') });
export const slugParams = z.strictObject({ slug });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const productRefParams = z.strictObject({
  idOrSlug: z
    .string()
    .max(SLUG_MAX_LENGTH)
    .refine((v) => UUID.test(v) || SLUG_PATTERN.test(v.toLowerCase()), 'must be a product id or slug'),
});

const locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'must be a language tag such as "de" or "de-AT"')
  .optional()
  .describe("content locale; else Accept-Language; else the region's default");

export const localeQuery = z.strictObject({ locale });

/** Attribute filters arrive as `attr.<name>=<value>` (repeat the parameter for alternatives). */
export const ATTRIBUTE_PARAM = /^attr\.([A-Za-z0-9_-]{1,64})$/;
const LISTING_PARAMS = ['q', 'category', 'minPrice', 'maxPrice', 'sort', 'limit', 'cursor', 'locale'];
const price = z.coerce
  .number({ error: 'must be an integer amount in minor units' })
  .int('must be an integer amount in minor units')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);

export const listingQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional().describe('search text; tolerates a typo'),
    category: slug.optional().describe('category slug; includes its descendants'),
    minPrice: price.optional().describe('lowest product price, minor units'),
    maxPrice: price.optional().describe('highest product price, minor units'),
    sort: z.enum(PRODUCT_SORTS).optional().describe('default: relevance with q, else newest'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(1000).optional(),
    locale,
  })
  .catchall(z.union([z.string().max(100), z.array(z.string().max(100)).max(20)]))
  .superRefine(
    (query, ctx) => {
      let attributeCount = 0;
      for (const key of Object.keys(query)) {
        if (LISTING_PARAMS.includes(key)) continue;
        if (!ATTRIBUTE_PARAM.test(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is not a known parameter (attribute filters are attr.<name>)',
          });
        } else if (++attributeCount > 10) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'at most 10 attribute filters' });
        }
      }
      const { minPrice, maxPrice } = query as { minPrice?: unknown; maxPrice?: unknown };
      if (typeof minPrice === 'number' && typeof maxPrice === 'number' && minPrice > maxPrice) {
        ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'must not be below minPrice' });
      }
    },
    // list unknown parameters together with the other problems, not after they are fixed
    { when: () => true },
  );

export const productSummarySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    price: money.nullable().describe('lowest variant price'),
    inStock: z.boolean(),
    category: z.string().describe('category slug'),
  })
  .meta({ id: 'CatalogProductSummary' });

export const productPageSchema = z
  .object({
    items: z.array(productSummarySchema),
    nextCursor: z.string().nullable(),
    facets: z.object({ categories: z.array(z.object({ slug: z.string(), count: z.number().int() })) }),
  })
  .meta({ id: 'CatalogProductPage' });

export const productDetailSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string().describe('category slug'),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    variants: z.array(
      z.object({
        sku: z.string(),
        options: z.record(z.string(), z.string()),
        price: money.nullable(),
        inStock: z.boolean(),
        available: z.number().int().nullable().describe('sellable quantity in this region; null = unknown'),
      }),
    ),
  })
  .meta({ id: 'CatalogProductDetail' });

export const categoryListSchema = z
  .array(z.object({ slug: z.string(), name: z.string(), parent: z.string().nullable() }))
  .meta({ id: 'CatalogCategoryList' });

export const adminProductSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.record(z.string(), z.string()),
    description: z.record(z.string(), z.string()),
    category: z.string(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    status: z.enum(['draft', 'active', 'archived']),
    taxClass: z.string(),
    variants: z.array(z.object({ sku: z.string(), options: z.record(z.string(), z.string()) })),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CatalogAdminProduct' });

export const adminCategorySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.record(z.string(), z.string()),
    parent: z.string().nullable(),
  })
  .meta({ id: 'CatalogAdminCategory' });
