import type { CartDeps } from '../../../src/cart/application/cart.deps.js';
import type {
  CartPricing,
  CouponCheck,
  StockCheck,
  VariantDirectory,
} from '../../../src/cart/application/cart.ports.js';
import type { CartRepos, CartRepository } from '../../../src/cart/application/cart.repositories.js';
import { Cart, type CartProps, DEFAULT_IDLE_TTL_MS } from '../../../src/cart/domain/cart.aggregate.js';
import type { CatalogVariantInfo } from '../../../src/catalog/contract.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import { newId } from '../../../src/platform/ids.js';
import { money } from '../../../src/platform/money.js';
import type {
  PromotionRejectionReason,
  Quote,
  QuotedLine,
  QuoteInput,
  ShippingOption,
} from '../../../src/pricing/contract.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';

const copy = (p: CartProps): CartProps => ({
  ...p,
  shippingAddress: p.shippingAddress ? { ...p.shippingAddress } : null,
  lines: p.lines.map((l) => ({ ...l })),
});

/**
 * Carts in memory, as the Postgres repository keeps them: each cart is stored as a snapshot (what a
 * use case changes on an aggregate it loaded is stored only when it saves it), `save` bumps the
 * version, and the one-statement operations (close for an order, expire idle, purge, erase) follow the
 * SQL of typeorm-cart.repository.ts. No locks: a unit test runs one use case at a time.
 */
export class InMemoryCartRepository implements CartRepository {
  private readonly rows = new Map<string, CartProps>();
  /** how many times each method was called */
  readonly calls: Record<string, number> = {};

  constructor(private readonly idleTtlMs = DEFAULT_IDLE_TTL_MS) {}

  /** Stores a cart as it is (a test's starting state), whatever the rules. */
  put(cart: Cart | CartProps): void {
    const props = cart instanceof Cart ? cart.snapshot() : cart;
    this.rows.set(props.id, copy(props));
  }

  /** The stored row of a cart (a copy), or undefined. */
  row(id: string): CartProps | undefined {
    const p = this.rows.get(id);
    return p ? copy(p) : undefined;
  }

  /** Every stored row (copies). */
  all(): CartProps[] {
    return [...this.rows.values()].map(copy);
  }

  async find(id: string): Promise<Cart | null> {
    this.count('find');
    return this.load(id);
  }

  async findForUpdate(id: string): Promise<Cart | null> {
    this.count('findForUpdate');
    return this.load(id);
  }

  async lockMany(ids: readonly string[]): Promise<Cart[]> {
    this.count('lockMany');
    return [...ids]
      .sort()
      .map((id) => this.load(id))
      .filter((c): c is Cart => c !== null);
  }

  async findOpenIdOfCustomer(customerId: string): Promise<string | null> {
    this.count('findOpenIdOfCustomer');
    return this.openOf(customerId)?.id ?? null;
  }

  async insert(cart: Cart): Promise<boolean> {
    this.count('insert');
    // the partial unique index: one open cart per customer
    if (cart.customerId && cart.status === 'open' && this.openOf(cart.customerId)) return false;
    this.rows.set(cart.id, copy(cart.snapshot()));
    return true;
  }

  async save(cart: Cart): Promise<void> {
    this.count('save');
    const stored = this.rows.get(cart.id);
    if (!stored) return; // UPDATE … WHERE id: no row, nothing written
    const s = cart.snapshot();
    this.rows.set(
      cart.id,
      copy({ ...s, createdAt: stored.createdAt, currency: stored.currency, version: stored.version + 1 }),
    );
  }

  async closeForOrder(id: string, orderId: string, now: Date): Promise<boolean> {
    this.count('closeForOrder');
    const r = this.rows.get(id);
    if (!r) return false;
    const live = r.status === 'open' && r.expiresAt.getTime() > now.getTime();
    const closedBySame = r.status === 'closed' && r.orderId === orderId;
    if (!live && !closedBySame) return false;
    this.rows.set(id, { ...r, status: 'closed', orderId, updatedAt: now, version: r.version + 1 });
    return true;
  }

  async expireIdle(now: Date, limit: number): Promise<string[]> {
    this.count('expireIdle');
    const idle = [...this.rows.values()]
      .filter((r) => r.status === 'open' && r.expiresAt.getTime() <= now.getTime())
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit);
    for (const r of idle) this.rows.set(r.id, { ...r, status: 'expired', version: r.version + 1 });
    return idle.map((r) => r.id);
  }

  async purgeExpiredLines(before: Date, limit: number): Promise<number> {
    this.count('purgeExpiredLines');
    let purged = 0;
    for (const r of this.rows.values()) {
      if (r.status !== 'expired' || r.expiresAt.getTime() > before.getTime()) continue;
      const n = Math.min(r.lines.length, limit - purged);
      if (n === 0) continue;
      this.rows.set(r.id, { ...r, lines: r.lines.slice(n) });
      purged += n;
    }
    return purged;
  }

  async listOfCustomer(customerId: string): Promise<Cart[]> {
    this.count('listOfCustomer');
    return [...this.rows.values()]
      .filter((r) => r.customerId === customerId)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((r) => Cart.restore(copy(r), this.idleTtlMs));
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    this.count('eraseCustomer');
    let n = 0;
    for (const r of [...this.rows.values()]) {
      if (r.customerId !== customerId) continue;
      this.rows.set(r.id, {
        ...r,
        email: null,
        shippingAddress: null,
        updatedAt: now,
        version: r.version + 1,
        status: r.status === 'open' ? 'expired' : r.status,
      });
      n += 1;
    }
    return n;
  }

  private load(id: string): Cart | null {
    const r = this.rows.get(id);
    return r ? Cart.restore(copy(r), this.idleTtlMs) : null;
  }

  private openOf(customerId: string): CartProps | undefined {
    return [...this.rows.values()].find((r) => r.customerId === customerId && r.status === 'open');
  }

  private count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }
}

/** The catalog as the cart sees it: variants by SKU, with every call and the `tx` it came with. */
export class FakeVariantDirectory implements VariantDirectory {
  private readonly variants = new Map<string, CatalogVariantInfo>();
  readonly calls: { skus: string[]; tx: TransactionHandle | undefined }[] = [];

  /** Adds (or replaces) a variant; an active product in tax class `standard` unless told otherwise. */
  add(sku: string, over: Partial<Omit<CatalogVariantInfo, 'sku'>> = {}): this {
    this.variants.set(sku, {
      sku,
      productId: over.productId ?? `product-of-${sku}`,
      productName: over.productName ?? `Product ${sku}`,
      slug: over.slug ?? sku.toLowerCase(),
      status: over.status ?? 'active',
      taxClass: over.taxClass ?? 'standard',
    });
    return this;
  }

  remove(sku: string): void {
    this.variants.delete(sku);
  }

  async find(skus: readonly string[], tx?: TransactionHandle): Promise<CatalogVariantInfo[]> {
    this.calls.push({ skus: [...skus], tx });
    return skus.flatMap((s) => {
      const v = this.variants.get(s);
      return v ? [{ ...v }] : [];
    });
  }
}

/** Fresh availability by SKU (unknown SKUs: 0), with every call and its `tx`. */
export class FakeStockCheck implements StockCheck {
  private readonly stock = new Map<string, number>();
  readonly calls: { skus: string[]; tx: TransactionHandle | undefined }[] = [];

  set(sku: string, available: number): this {
    this.stock.set(sku, available);
    return this;
  }

  async available(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, number>> {
    this.calls.push({ skus: [...skus], tx });
    return new Map(skus.filter((s) => this.stock.has(s)).map((s) => [s, this.stock.get(s)!]));
  }
}

/** A coupon of the fake pricing: a percentage off, a minimum subtotal, or a reason it cannot be used. */
export interface FakeCoupon {
  percentOff?: number;
  minSubtotal?: number;
  /** set: the coupon is refused with this reason (not_started, expired, used_up) */
  refused?: Exclude<PromotionRejectionReason, 'unknown' | 'min_subtotal_not_met'>;
}

export const FAKE_SHIPPING_OPTIONS: ShippingOption[] = [
  { code: 'standard', name: 'Standard', price: money(490, 'EUR') },
  { code: 'express', name: 'Express', price: money(990, 'EUR') },
];

/**
 * A pricing engine small enough to check by hand, in EUR, tax included at 0: unit prices by SKU
 * (unpriced SKUs are `missingPrices`), coupon codes (case-insensitive, normalised upper-case) taking a
 * percentage off each line (rounded down), shipping at the option's price. Every quote input is kept.
 */
export class FakeCartPricing implements CartPricing {
  private readonly prices = new Map<string, number>();
  private readonly coupons = new Map<string, FakeCoupon>();
  readonly quotes: { input: QuoteInput; tx: TransactionHandle | undefined }[] = [];
  readonly checks: { code: string; subtotal: number; now: Date; tx: TransactionHandle | undefined }[] = [];

  price(sku: string, unitPrice: number): this {
    this.prices.set(sku, unitPrice);
    return this;
  }

  coupon(code: string, coupon: FakeCoupon): this {
    this.coupons.set(code.toUpperCase(), coupon);
    return this;
  }

  async quote(input: QuoteInput, tx?: TransactionHandle): Promise<Quote> {
    this.quotes.push({ input, tx });
    const priced = input.lines.filter((l) => this.prices.has(l.sku));
    const gross = priced.reduce((sum, l) => sum + this.prices.get(l.sku)! * l.quantity, 0);
    const code = input.promotionCode ? input.promotionCode.toUpperCase() : null;
    const verdict = code ? this.verdict(code, gross) : null;
    const percent = verdict?.ok ? (this.coupons.get(code!)?.percentOff ?? 0) : 0;
    const lines: QuotedLine[] = priced.map((l) => {
      const unitPrice = this.prices.get(l.sku)!;
      const subtotal = unitPrice * l.quantity;
      const discount = Math.floor((subtotal * percent) / 100);
      return { ...l, unitPrice, subtotal, discount, total: subtotal - discount, tax: 0 };
    });
    const discount = lines.reduce((sum, l) => sum + l.discount, 0);
    const option = FAKE_SHIPPING_OPTIONS.find((o) => o.code === input.shippingOption) ?? null;
    const shipping = option?.price.amount ?? 0;
    return {
      currency: 'EUR',
      taxMode: 'inclusive',
      lines,
      subtotal: gross,
      discount,
      shipping,
      shippingTax: 0,
      tax: 0,
      total: gross - discount + shipping,
      promotion: code
        ? verdict?.ok
          ? { code, applied: true }
          : { code, applied: false, reason: verdict?.ok === false ? verdict.reason : 'unknown' }
        : null,
      shippingOption: option ? { code: option.code, name: option.name } : null,
      missingPrices: input.lines.filter((l) => !this.prices.has(l.sku)).map((l) => l.sku),
    };
  }

  async checkPromotion(
    code: string,
    subtotal: number,
    now: Date,
    tx?: TransactionHandle,
  ): Promise<CouponCheck> {
    this.checks.push({ code, subtotal, now, tx });
    const normalised = code.toUpperCase();
    const verdict = this.verdict(normalised, subtotal);
    return verdict.ok
      ? { ok: true, code: normalised }
      : { ok: false, code: normalised, reason: verdict.reason };
  }

  shippingOptions(): ShippingOption[] {
    return FAKE_SHIPPING_OPTIONS;
  }

  private verdict(
    code: string,
    subtotal: number,
  ): { ok: true } | { ok: false; reason: PromotionRejectionReason } {
    const coupon = this.coupons.get(code);
    if (!coupon) return { ok: false, reason: 'unknown' };
    if (coupon.refused) return { ok: false, reason: coupon.refused };
    if (coupon.minSubtotal !== undefined && subtotal < coupon.minSubtotal)
      return { ok: false, reason: 'min_subtotal_not_met' };
    return { ok: true };
  }
}

/** Everything a cart use-case unit test needs: in-memory carts, fakes of the ports, a manual clock. */
export interface CartTestBed {
  deps: CartDeps;
  carts: InMemoryCartRepository;
  /** the unit of work writes run in */
  uow: InMemoryUnitOfWork<CartRepos>;
  /** the reader queries run in (same carts) */
  read: InMemoryUnitOfWork<CartRepos>;
  clock: ManualClock;
  variants: FakeVariantDirectory;
  stock: FakeStockCheck;
  pricing: FakeCartPricing;
  /**
   * A new open cart (a guest's unless `customerId`) opened at the clock's now and stored; the cart
   * returned is a loaded copy: change it, then `carts.put` it to store the changes.
   */
  openCart(customerId?: string | null, id?: string): Cart;
}

export const cartTestBed = (opts: { idleTtlMs?: number; now?: string } = {}): CartTestBed => {
  const idleTtlMs = opts.idleTtlMs ?? DEFAULT_IDLE_TTL_MS;
  const carts = new InMemoryCartRepository(idleTtlMs);
  const repos: CartRepos = { carts };
  const uow = new InMemoryUnitOfWork(repos);
  const read = new InMemoryUnitOfWork(repos);
  const clock = new ManualClock(opts.now ?? '2026-03-01T10:00:00Z');
  const variants = new FakeVariantDirectory();
  const stock = new FakeStockCheck();
  const pricing = new FakeCartPricing();
  const deps: CartDeps = { uow, read, clock, currency: 'EUR', idleTtlMs, variants, pricing, stock };
  return {
    deps,
    carts,
    uow,
    read,
    clock,
    variants,
    stock,
    pricing,
    openCart: (customerId = null, id = newId()) => {
      const cart = Cart.open({ id, customerId, currency: 'EUR', now: clock.now(), idleTtlMs });
      carts.put(cart);
      return Cart.restore(cart.snapshot(), idleTtlMs);
    },
  };
};
