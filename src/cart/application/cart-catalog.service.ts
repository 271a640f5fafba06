import type { CatalogVariantInfo } from '../../catalog/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Quote } from '../../pricing/contract.js';
import { type Cart, SKU_PATTERN } from '../domain/cart.aggregate.js';
import { OutOfStockError, SkuNotAvailableError } from '../domain/cart.errors.js';
import type { CartDeps } from './cart.deps.js';

/*
 * What several cart use cases read from the catalog, inventory and pricing (through the ports of
 * cart.ports.ts). Inside a cart transaction they take its `tx`: one connection, never a second one.
 */

/** The catalog's variants of these SKUs, by SKU (unknown SKUs are absent). */
export const variantsOf = async (
  deps: Pick<CartDeps, 'variants'>,
  skus: readonly string[],
  tx?: TransactionHandle,
): Promise<Map<string, CatalogVariantInfo>> => {
  if (skus.length === 0) return new Map();
  const found = await deps.variants.find(skus, tx);
  return new Map(found.map((v) => [v.sku, v]));
};

/** 404 unless the SKU's product is active; 409 OUT_OF_STOCK unless `quantity` are available. */
export const assertSellable = async (
  deps: Pick<CartDeps, 'variants' | 'stock'>,
  sku: string,
  quantity: number,
  tx: TransactionHandle,
): Promise<void> => {
  if (!SKU_PATTERN.test(sku)) throw new SkuNotAvailableError(sku);
  const variant = (await variantsOf(deps, [sku], tx)).get(sku);
  if (variant?.status !== 'active') throw new SkuNotAvailableError(sku);
  const available = (await deps.stock.available([sku], tx)).get(sku) ?? 0;
  if (available < quantity) throw new OutOfStockError(sku, available, quantity);
};

/**
 * The pricing engine's quote of the cart's lines whose product is active (with their tax classes),
 * with `promotionCode` and the cart's shipping option. `known`: variants already read.
 */
export const quoteCart = async (
  deps: Pick<CartDeps, 'variants' | 'pricing'>,
  cart: Cart,
  now: Date,
  promotionCode: string | null,
  tx?: TransactionHandle,
  known?: Map<string, CatalogVariantInfo>,
): Promise<Quote> => {
  const variants =
    known ??
    (await variantsOf(
      deps,
      cart.lines.map((l) => l.sku),
      tx,
    ));
  const lines = cart.lines.flatMap((l) => {
    const v = variants.get(l.sku);
    return v?.status === 'active' ? [{ sku: l.sku, quantity: l.quantity, taxClass: v.taxClass }] : [];
  });
  return deps.pricing.quote(
    {
      lines,
      promotionCode,
      shippingOption: cart.shippingOption,
      now,
    },
    tx,
  );
};
