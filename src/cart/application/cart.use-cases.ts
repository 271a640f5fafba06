import type { CatalogVariantInfo } from '../../catalog/contract.js';
import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { ConflictError, ValidationError } from '../../platform/errors.js';
import { isUuid, newId } from '../../platform/ids.js';
import { type Money, money } from '../../platform/money.js';
import {
  PromotionNotApplicableError,
  type PromotionRejectionReason,
  type Quote,
} from '../../pricing/contract.js';
import { Cart, type ShippingAddress, SKU_PATTERN } from '../domain/cart.aggregate.js';
import { CartNotFoundError, OutOfStockError, SkuNotAvailableError } from '../domain/cart.errors.js';
import type { CartDeps } from './cart.deps.js';
import type { CartRepos } from './cart.repositories.js';

export interface PricedCartItem {
  sku: string;
  /** the product name in the region's default locale */
  name: string;
  quantity: number;
  unitPrice: Money;
  /** unitPrice × quantity, as pricing computed it */
  subtotal: Money;
  /** this line's share of the coupon discount */
  discount: Money;
  /** subtotal − discount, as pricing computed it */
  lineTotal: Money;
}

/** A line kept in the cart that cannot be bought now; it is left out of every amount. */
export interface UnavailableCartLine {
  sku: string;
  name: string | null;
  quantity: number;
  /** unknown: the SKU left the catalog; inactive: its product is draft or archived; no_price: no price in this region */
  reason: 'unknown' | 'inactive' | 'no_price';
}

/** A cart with every amount from the pricing engine. */
export interface PricedCart {
  cart: Cart;
  currency: string;
  taxMode: 'inclusive' | 'exclusive';
  items: PricedCartItem[];
  unavailable: UnavailableCartLine[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  /** the coupon and whether it applies now (and if not, why); null without a coupon */
  promotion: { code: string; applied: boolean; reason?: PromotionRejectionReason } | null;
}

type Scope = UnitOfWorkScope<CartRepos>;

/** Who is calling: a customer's user id, or null for an anonymous caller. */
export type Caller = string | null;

const ADOPTION_ATTEMPTS = 3;

/**
 * Cart use cases: guest and customer carts, lines, coupon, shipping, guest email, adoption at login,
 * idle expiry. Writes lock the cart row; every cart shown is priced by pricing.
 */
export class CartUseCases {
  constructor(private readonly deps: CartDeps) {}

  /**
   * A new cart, the caller's when they are signed in. A customer who has an open cart gets that one
   * back (`created: false`): a customer has at most one open cart.
   */
  async create(caller: Caller): Promise<{ cart: Cart; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.deps.uow.run(async ({ repos }) => {
        const now = this.deps.clock.now();
        if (caller) {
          const existing = await this.customerOpenCart(repos, caller, now);
          if (existing) return { cart: existing, created: false };
        }
        const cart = Cart.open({
          id: newId(),
          customerId: caller,
          currency: this.deps.currency,
          now,
          idleTtlMs: this.deps.idleTtlMs,
        });
        return (await repos.carts.insert(cart)) ? { cart, created: true } : null;
      });
      if (outcome) return outcome;
      // a concurrent request created the customer's cart first: answer with that one
      if (attempt >= ADOPTION_ATTEMPTS) throw new ConflictError('The cart is being created; try again');
    }
  }

  /** The cart, if the caller may see it and it is open and not idle-expired; else 404. */
  async get(id: string, caller: Caller): Promise<Cart> {
    const cart = isUuid(id) ? await this.deps.read.run(({ repos }) => repos.carts.find(id)) : null;
    if (!cart?.isLiveAt(this.deps.clock.now()) || !cart.isVisibleTo(caller)) {
      throw new CartNotFoundError();
    }
    return cart;
  }

  /**
   * Adds units of an active SKU. The line's new total must be in stock (fresh availability) and
   * at most 99.
   */
  addItem(id: string, caller: Caller, sku: string, quantity: number): Promise<Cart> {
    return this.change(id, caller, async (cart, now, tx) => {
      const total = cart.quantityAfterAdding(sku, quantity);
      await this.assertSellable(sku, total, tx);
      cart.addLine(sku, quantity, now);
    });
  }

  /** Sets a line's quantity; 0 removes it. Raising it checks the product is active and in stock. */
  changeItem(id: string, caller: Caller, sku: string, quantity: number): Promise<Cart> {
    return this.change(id, caller, async (cart, now, tx) => {
      const current = cart.quantityOf(sku);
      if (current > 0 && quantity > current) await this.assertSellable(sku, quantity, tx);
      cart.changeQuantity(sku, quantity, now);
    });
  }

  removeItem(id: string, caller: Caller, sku: string): Promise<Cart> {
    return this.change(id, caller, async (cart, now) => cart.removeLine(sku, now));
  }

  /**
   * Applies a coupon if pricing says it can be used now for this cart's subtotal; otherwise 409
   * CONFLICT naming the reason (unknown, not_started, expired, used_up, min_subtotal_not_met).
   */
  applyPromotion(id: string, caller: Caller, code: string): Promise<Cart> {
    return this.change(id, caller, async (cart, now, tx) => {
      const quote = await this.quote(cart, now, null, tx);
      const check = await this.deps.pricing.checkPromotion(code, quote.subtotal, now, tx);
      if (!check.ok)
        throw new PromotionNotApplicableError(check.code, check.reason as PromotionRejectionReason);
      cart.applyPromotion(check.code, now);
    });
  }

  removePromotion(id: string, caller: Caller): Promise<Cart> {
    return this.change(id, caller, async (cart, now) => cart.removePromotion(now));
  }

  /** Sets the shipping address and one of the region's shipping options (else 400). */
  setShipping(id: string, caller: Caller, address: ShippingAddress, option: string): Promise<Cart> {
    const codes = this.deps.pricing.shippingOptions().map((o) => o.code);
    if (!codes.includes(option)) {
      throw new ValidationError('Unknown shipping option', [
        { path: 'option', message: `must be one of ${codes.join(', ')}` },
      ]);
    }
    return this.change(id, caller, async (cart, now) => cart.setShipping(address, option, now));
  }

  /** Guest carts only (409 CONFLICT on a customer's cart). */
  setEmail(id: string, caller: Caller, email: string): Promise<Cart> {
    return this.change(id, caller, async (cart, now) => cart.setEmail(email, now));
  }

  /**
   * Login with a guest cart id: the guest cart becomes the customer's, or is merged into the
   * customer's open cart and closed; either way the customer's cart ends without the guest's email
   * (the account's email applies). One transaction; both rows locked in id order. A customer's
   * cart, an unknown, closed or expired id: nothing happens.
   */
  async adoptGuestCart(cartId: string, customerId: string): Promise<void> {
    if (!isUuid(cartId)) return;
    for (let attempt = 1; attempt <= ADOPTION_ATTEMPTS; attempt++) {
      const done = await this.deps.uow.run(async ({ repos }) => {
        const now = this.deps.clock.now();
        const ownId = await repos.carts.findOpenIdOfCustomer(customerId);
        const locked = await repos.carts.lockMany(ownId && ownId !== cartId ? [cartId, ownId] : [cartId]);
        const guest = locked.find((c) => c.id === cartId);
        if (!guest?.isGuest || !guest.isLiveAt(now)) return true;
        const own = ownId ? locked.find((c) => c.id === ownId) : undefined;
        // the customer's cart changed hands between the lookup and the lock: look again
        if (own && (own.customerId !== customerId || own.status !== 'open')) return false;
        if (own?.isLiveAt(now)) {
          own.mergeFrom(guest, now);
          await repos.carts.save(own);
          await repos.carts.save(guest);
          return true;
        }
        if (own) {
          own.expire(now);
          await repos.carts.save(own);
        }
        guest.assignTo(customerId, now);
        await repos.carts.save(guest);
        return true;
      });
      if (done) return;
    }
    throw new ConflictError('The cart changed during adoption; try again');
  }

  /**
   * Closes the cart for the order placed from it, in the caller's transaction: one statement (checkout
   * holds the row's lock already); 404 when it is unknown, expired or closed by another order.
   */
  async closeForOrder(scope: Scope, cartId: string, orderId: string): Promise<void> {
    const closed =
      isUuid(cartId) && (await scope.repos.carts.closeForOrder(cartId, orderId, this.deps.clock.now()));
    if (!closed) throw new CartNotFoundError();
  }

  /** Reopens the cart `orderId` closed (its payment was declined), in the caller's transaction. */
  async reopenAfterOrder(scope: Scope, cartId: string, orderId: string): Promise<boolean> {
    const cart = isUuid(cartId) ? await scope.repos.carts.findForUpdate(cartId) : null;
    if (!cart) return false;
    if (cart.status === 'open' && cart.orderId === null) return true;
    const now = this.deps.clock.now();
    if (cart.customerId) {
      // a customer has one open cart: one opened since keeps its place
      const open = await scope.repos.carts.findOpenIdOfCustomer(cart.customerId);
      if (open && open !== cart.id) return false;
    }
    if (!cart.reopenAfter(orderId, now)) return false;
    await scope.repos.carts.save(cart);
    return true;
  }

  /** GDPR export: what the customer's carts hold about them (contact, address, what they picked). */
  async exportFor(customerId: string): Promise<Record<string, unknown>[]> {
    const carts = await this.deps.read.run(({ repos }) => repos.carts.listOfCustomer(customerId));
    return carts.map((c) => {
      const s = c.snapshot();
      return {
        id: s.id,
        status: s.status,
        email: s.email,
        shippingAddress: s.shippingAddress,
        shippingOption: s.shippingOption,
        promotionCode: s.promotionCode,
        orderId: s.orderId,
        items: s.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        createdAt: s.createdAt.toISOString(),
        updatedAt: s.updatedAt.toISOString(),
      };
    });
  }

  /** GDPR erasure (on CustomerErased): the customer's carts lose their email and address, an open one expires. */
  eraseCustomer(customerId: string, tx: TransactionHandle): Promise<number> {
    return this.deps.uow.join(tx, ({ repos }) =>
      repos.carts.eraseCustomer(customerId, this.deps.clock.now()),
    );
  }

  /**
   * One pass of the idle sweeper: carts idle past their expiry become `expired` (in batches, skipping
   * rows a request holds), and lines of carts expired longer than `graceMs` ago are deleted.
   */
  async sweep(graceMs: number, batch = 500): Promise<{ expired: number; purgedLines: number }> {
    const now = this.deps.clock.now();
    let expired = 0;
    for (;;) {
      const ids = await this.deps.uow.run(({ repos }) => repos.carts.expireIdle(now, batch));
      expired += ids.length;
      if (ids.length < batch) break;
    }
    const before = new Date(now.getTime() - graceMs);
    let purgedLines = 0;
    for (;;) {
      const n = await this.deps.uow.run(({ repos }) => repos.carts.purgeExpiredLines(before, batch * 10));
      purgedLines += n;
      if (n < batch * 10) break;
    }
    return { expired, purgedLines };
  }

  /**
   * Prices the cart through pricing: lines whose SKU is unknown, inactive or unpriced are listed in
   * `unavailable` and left out of every amount; a coupon that stopped applying shows why.
   */
  async price(cart: Cart): Promise<PricedCart> {
    const now = this.deps.clock.now();
    const variants = await this.variantsOf(cart.lines.map((l) => l.sku));
    const quote = await this.quote(cart, now, cart.promotionCode, undefined, variants);
    const quoted = new Map(quote.lines.map((l) => [l.sku, l]));
    const m = (amount: number) => money(amount, quote.currency);
    const items: PricedCartItem[] = [];
    const unavailable: UnavailableCartLine[] = [];
    for (const line of cart.lines) {
      const variant = variants.get(line.sku);
      const q = quoted.get(line.sku);
      if (variant && q) {
        items.push({
          sku: line.sku,
          name: variant.productName,
          quantity: line.quantity,
          unitPrice: m(q.unitPrice),
          subtotal: m(q.subtotal),
          discount: m(q.discount),
          lineTotal: m(q.total),
        });
      } else {
        unavailable.push({
          sku: line.sku,
          name: variant?.productName ?? null,
          quantity: line.quantity,
          reason: !variant ? 'unknown' : variant.status !== 'active' ? 'inactive' : 'no_price',
        });
      }
    }
    return {
      cart,
      currency: quote.currency,
      taxMode: quote.taxMode,
      items,
      unavailable,
      subtotal: m(quote.subtotal),
      discount: m(quote.discount),
      shipping: m(quote.shipping),
      tax: m(quote.tax),
      total: m(quote.total),
      promotion: quote.promotion,
    };
  }

  /**
   * Runs a change on a live cart the caller may see, under a row lock, and saves it. Concurrent changes
   * of one cart queue on the lock, so none is lost; what the change reads (catalog, stock, prices) it
   * reads on the same transaction's connection (`tx`), never on a second one.
   */
  private async change(
    id: string,
    caller: Caller,
    mutate: (cart: Cart, now: Date, tx: TransactionHandle) => Promise<void>,
  ): Promise<Cart> {
    if (!isUuid(id)) throw new CartNotFoundError();
    return this.deps.uow.run(async ({ repos, tx }) => {
      const cart = await repos.carts.findForUpdate(id);
      const now = this.deps.clock.now();
      if (!cart?.isLiveAt(now) || !cart.isVisibleTo(caller)) throw new CartNotFoundError();
      await mutate(cart, now, tx);
      await repos.carts.save(cart);
      return cart;
    });
  }

  /** The customer's open cart; one past its idle expiry is marked expired and not returned. */
  private async customerOpenCart(repos: CartRepos, customerId: string, now: Date): Promise<Cart | null> {
    const ownId = await repos.carts.findOpenIdOfCustomer(customerId);
    const own = ownId ? await repos.carts.findForUpdate(ownId) : null;
    if (own?.status !== 'open' || own.customerId !== customerId) return null;
    if (own.isLiveAt(now)) return own;
    own.expire(now);
    await repos.carts.save(own);
    return null;
  }

  /** 404 unless the SKU's product is active; 409 OUT_OF_STOCK unless `quantity` are available. */
  private async assertSellable(sku: string, quantity: number, tx: TransactionHandle): Promise<void> {
    if (!SKU_PATTERN.test(sku)) throw new SkuNotAvailableError(sku);
    const variant = (await this.variantsOf([sku], tx)).get(sku);
    if (variant?.status !== 'active') throw new SkuNotAvailableError(sku);
    const available = (await this.deps.stock.available([sku], tx)).get(sku) ?? 0;
    if (available < quantity) throw new OutOfStockError(sku, available, quantity);
  }

  private async variantsOf(
    skus: readonly string[],
    tx?: TransactionHandle,
  ): Promise<Map<string, CatalogVariantInfo>> {
    if (skus.length === 0) return new Map();
    const found = await this.deps.variants.find(skus, tx);
    return new Map(found.map((v) => [v.sku, v]));
  }

  private async quote(
    cart: Cart,
    now: Date,
    promotionCode: string | null,
    tx?: TransactionHandle,
    known?: Map<string, CatalogVariantInfo>,
  ): Promise<Quote> {
    const variants =
      known ??
      (await this.variantsOf(
        cart.lines.map((l) => l.sku),
        tx,
      ));
    const lines = cart.lines.flatMap((l) => {
      const v = variants.get(l.sku);
      return v?.status === 'active' ? [{ sku: l.sku, quantity: l.quantity, taxClass: v.taxClass }] : [];
    });
    return this.deps.pricing.quote(
      {
        lines,
        promotionCode,
        shippingOption: cart.shippingOption,
        now,
      },
      tx,
    );
  }
}
