import { z } from 'zod';
import { BASE64URL, queryInteger, text } from '../../../platform/http/input.js';
import { moneySchema as money } from '../../../platform/http/schemas.js';
import { PRODUCT_SORTS } from '../../application/search-index.port.js';
import { ATTRIBUTE_NAME_PATTERN, OPTION_NAME_PATTERN, SKU_PATTERN } from '../../domain/product.aggregate.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../domain/slug.value-object.js';

/**
 * Shapes at the edge. Region-specific rules (which locales, which tax classes) and cross-record rules
 * (unique SKUs, known categories) are the domain's and the use cases'; they answer 400/409 with field
 * paths in the same form.
 */
const slug = text({
  max: SLUG_MAX_LENGTH,
  pattern: SLUG_PATTERN,
  patternMessage: 'must be lower-kebab-case (a-z, 0-9 and single hyphens)',
});
const localeKey = text({
  max: 3,
  pattern: /^[a-z]{2,3}$/,
  patternMessage: 'must be a language code such as "en"',
});
/** Names are single-line; descriptions may hold line breaks and tabs. The domain trims and checks blanks. */
interface LocalizedLimits {
  max: number;
  multiline?: boolean;
}
const localizedValue = ({ max, multiline }: LocalizedLimits) => text({ max, min: 0, multiline, trim: false });
const localized = (limits: LocalizedLimits) =>
  z.union([localizedValue(limits), z.record(localeKey, localizedValue(limits))], {
    error: 'must be a string (the default locale) or an object of strings keyed by locale',
  });
const localizedPatch = (limits: LocalizedLimits) =>
  z.union([localizedValue(limits), z.record(localeKey, localizedValue(limits).nullable())], {
    error: 'must be a string (the default locale) or an object keyed by locale (null removes a translation)',
  });
const NAME = { max: 200 };
const DESCRIPTION = { max: 10_000, multiline: true };
const CATEGORY_NAME = { max: 100 };

const attributeValue = z.union([text({ max: 200, min: 0, trim: false }), z.number(), z.boolean()], {
  error: 'must be a string, a number or a boolean',
});
const attributes = z
  .record(
    text({
      max: 64,
      pattern: ATTRIBUTE_NAME_PATTERN,
      patternMessage: 'must be 1-64 of A-Z, a-z, 0-9, _ and -',
    }),
    attributeValue,
  )
  .describe('flat JSON object');
const variant = z.strictObject({
  // the domain checks the pattern, so a bad SKU is listed with the region and catalog rules
  sku: text({ max: 64, pattern: SKU_PATTERN, checkPattern: false }),
  options: z
    .record(
      text({
        max: 64,
        pattern: OPTION_NAME_PATTERN,
        patternMessage: 'must be 1-64 of A-Z, a-z, 0-9, _ and -',
      }),
      text({ max: 100 }),
    )
    .default({}),
});
const variants = z.array(variant).min(1, 'a product needs at least one variant').max(100);
const taxClass = text({ max: 32, trim: false }).describe(
  "one of the region's tax classes (default standard)",
);

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
    name: localized(NAME),
    description: localized(DESCRIPTION).optional(),
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
    name: localizedPatch(NAME).optional(),
    description: localizedPatch(DESCRIPTION).optional(),
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
  name: localized(CATEGORY_NAME),
  parent: slug.nullable().optional().describe('slug of the parent category'),
});

export const updateCategoryBody = z
  .strictObject({
    name: localizedPatch(CATEGORY_NAME).optional(),
    parent: slug.nullable().optional().describe('slug of the new parent; null moves to the root'),
  })
  .refine((b) => b.name !== undefined || b.parent !== undefined, { message: 'send name or parent' });

export const idParams = z.strictObject({ id: z.uuid('must be a UUID') });
export const slugParams = z.strictObject({ slug });

/** A product id (UUID) or slug (matched case-insensitively) */
const PRODUCT_REF =
  /^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)$/;
export const productRefParams = z.strictObject({
  idOrSlug: text({
    max: SLUG_MAX_LENGTH,
    pattern: PRODUCT_REF,
    patternMessage: 'must be a product id or slug',
  }),
});

const locale = text({
  max: 35,
  pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/,
  patternMessage: 'must be a language tag such as "de" or "de-AT"',
})
  .optional()
  .describe("content locale; else Accept-Language; else the region's default");

export const localeQuery = z.strictObject({ locale });

/** Attribute filters arrive as `attr.<name>=<value>` (repeat the parameter for alternatives). */
export const ATTRIBUTE_PARAM = /^attr\.([A-Za-z0-9_-]{1,64})$/;
const attributeFilter = text({ max: 100, min: 0, trim: false });
const LISTING_PARAMS = ['q', 'category', 'minPrice', 'maxPrice', 'sort', 'limit', 'cursor', 'locale'];
const price = () =>
  queryInteger({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    rangeMessage: 'must be an integer amount in minor units',
  }).optional();

export const listingQuery = z
  .object({
    q: text({ max: 200 }).optional().describe('search text; tolerates a typo'),
    category: slug.optional().describe('category slug; includes its descendants'),
    minPrice: price().describe('lowest product price, minor units'),
    maxPrice: price().describe('highest product price, minor units'),
    sort: z.enum(PRODUCT_SORTS).optional().describe('default: relevance with q, else newest'),
    limit: queryInteger({ min: 1, max: 100 }).default(20),
    cursor: text({
      max: 1000,
      pattern: BASE64URL,
      patternMessage: 'is not a cursor this API returned',
    }).optional(),
    locale,
  })
  .catchall(z.union([attributeFilter, z.array(attributeFilter).max(20)]))
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
