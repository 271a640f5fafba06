import type { DataSource } from 'typeorm';
import { Cart1763700000600 } from '../../migrations/1763700000600-cart.js';
import { CartCustomerCartsWithoutEmail1763700000800 } from '../../migrations/1763700000800-cart-customer-carts-without-email.js';
import type { CatalogFacade } from '../catalog/contract.js';
import type { InventoryFacade } from '../inventory/contract.js';
import type { Clock } from '../platform/clock.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import type { Logger } from '../platform/logging/logger.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import type { PricingFacade } from '../pricing/contract.js';
import { cartRoutes } from './adapters/http/cart.routes.js';
import { cartRegistrations } from './adapters/messaging/cart.consumers.js';
import { CART_ENTITIES } from './adapters/persistence/cart.entity-schemas.js';
import { cartRepos } from './adapters/persistence/typeorm-cart.repository.js';
import { AddCartItem } from './application/add-cart-item.use-case.js';
import { AdoptGuestCart } from './application/adopt-guest-cart.use-case.js';
import { ApplyCartPromotion } from './application/apply-cart-promotion.use-case.js';
import type { CartDeps } from './application/cart.deps.js';
import type { CartPricing, StockCheck, VariantDirectory } from './application/cart.ports.js';
import { ChangeCartItem } from './application/change-cart-item.use-case.js';
import { CloseCart } from './application/close-cart.use-case.js';
import { CreateCart } from './application/create-cart.use-case.js';
import { EraseCustomerCarts } from './application/erase-customer-carts.use-case.js';
import { ExportCustomerCarts } from './application/export-customer-carts.query.js';
import { GetCart } from './application/get-cart.query.js';
import { GetOpenCart } from './application/get-open-cart.query.js';
import { PriceCart } from './application/price-cart.query.js';
import { RemoveCartItem } from './application/remove-cart-item.use-case.js';
import { RemoveCartPromotion } from './application/remove-cart-promotion.use-case.js';
import { ReopenCart } from './application/reopen-cart.use-case.js';
import { SetCartEmail } from './application/set-cart-email.use-case.js';
import { SetCartShipping } from './application/set-cart-shipping.use-case.js';
import { SweepIdleCarts } from './application/sweep-idle-carts.use-case.js';
import type { CartFacade } from './contract.js';
import { DEFAULT_IDLE_TTL_MS } from './domain/cart.aggregate.js';

export { CART_ENTITIES };

export type CartModule = ContextModule<CartFacade>;

export interface CartDependencies extends CartModuleOptions {
  catalog: CatalogFacade;
  pricing: PricingFacade;
  inventory: InventoryFacade;
}

export interface CartModuleOptions {
  /** a cart untouched this long expires (default 30 days) */
  idleTtlMs?: number;
  /** how often the sweeper marks idle carts expired (default hourly) */
  sweepIntervalMs?: number;
  /** lines of expired carts are deleted this long after expiry (default 7 days) */
  purgeGraceMs?: number;
  clock?: Clock;
}

const HOUR_MS = 60 * 60 * 1000;
const DEFAULT_PURGE_GRACE_MS = 7 * 24 * HOUR_MS;

export interface CartServices {
  facade: CartFacade;
  create: CreateCart;
  get: GetCart;
  price: PriceCart;
  addItem: AddCartItem;
  changeItem: ChangeCartItem;
  removeItem: RemoveCartItem;
  applyPromotion: ApplyCartPromotion;
  removePromotion: RemoveCartPromotion;
  setShipping: SetCartShipping;
  setEmail: SetCartEmail;
  adopt: AdoptGuestCart;
  getOpen: GetOpenCart;
  close: CloseCart;
  reopen: ReopenCart;
  exportCarts: ExportCustomerCarts;
  erase: EraseCustomerCarts;
  sweep: SweepIdleCarts;
}

/** The cart use cases and facade over one data source; tests build a second one on a ManualClock. */
export const createCartServices = (opts: {
  dataSource: DataSource;
  currency: string;
  clock: Clock;
  deps: CartDependencies;
  idleTtlMs?: number;
}): CartServices => {
  const { dataSource, clock, deps: other } = opts;
  const idleTtlMs = opts.idleTtlMs ?? DEFAULT_IDLE_TTL_MS;
  const repos = cartRepos(idleTtlMs);
  const stock: StockCheck = {
    available: (skus, tx) => other.inventory.availability(skus, { fresh: true, ...(tx ? { tx } : {}) }),
  };
  const variants: VariantDirectory = { find: (skus, tx) => other.catalog.findVariants(skus, tx) };
  const pricing: CartPricing = {
    quote: (input, tx) => other.pricing.quote(input, tx),
    checkPromotion: async (code, subtotal, now, tx) => {
      const check = await other.pricing.checkPromotion(code, subtotal, now, tx);
      return check.ok ? { ok: true, code: check.promotion.code } : check;
    },
    shippingOptions: () => other.pricing.shippingOptions(),
  };
  const deps: CartDeps = {
    uow: new TypeOrmUnitOfWork(dataSource, repos),
    read: new TypeOrmReader(dataSource, repos),
    clock,
    currency: opts.currency,
    idleTtlMs,
    variants,
    pricing,
    stock,
  };
  const adopt = new AdoptGuestCart(deps);
  const getOpen = new GetOpenCart(deps);
  const close = new CloseCart(deps);
  const reopen = new ReopenCart(deps);
  const facade: CartFacade = {
    adoptGuestCart: (cartId, customerId) => adopt.execute(cartId, customerId),
    getOpenCart: (cartId, tx) => getOpen.execute(cartId, tx),
    close: (cartId, orderId, tx) => close.execute(cartId, orderId, tx),
    reopen: (cartId, orderId, tx) => reopen.execute(cartId, orderId, tx),
  };
  return {
    facade,
    create: new CreateCart(deps),
    get: new GetCart(deps),
    price: new PriceCart(deps),
    addItem: new AddCartItem(deps),
    changeItem: new ChangeCartItem(deps),
    removeItem: new RemoveCartItem(deps),
    applyPromotion: new ApplyCartPromotion(deps),
    removePromotion: new RemoveCartPromotion(deps),
    setShipping: new SetCartShipping(deps),
    setEmail: new SetCartEmail(deps),
    adopt,
    getOpen,
    close,
    reopen,
    exportCarts: new ExportCustomerCarts(deps),
    erase: new EraseCustomerCarts(deps),
    sweep: new SweepIdleCarts(deps),
  };
};

/** Expires idle carts every `intervalMs`, one pass at a time. */
const idleSweeper = (sweep: SweepIdleCarts, intervalMs: number, graceMs: number, logger: Logger) =>
  periodicTask(
    'idle cart sweep',
    intervalMs,
    async () => {
      const r = await sweep.execute(graceMs);
      if (r.expired > 0 || r.purgedLines > 0) logger.info(r, 'idle carts swept');
    },
    logger,
  );

/** The cart context (composition root): guest and customer carts priced by pricing, the idle sweeper. */
export const cartContext = defineContext({
  name: 'cart',
  entities: CART_ENTITIES,
  migrations: [Cart1763700000600, CartCustomerCartsWithoutEmail1763700000800],
  create: (platform: Platform, options: CartDependencies): CartModule => {
    const { catalog, pricing, inventory } = options;
    const services = createCartServices({
      dataSource: platform.dataSource,
      currency: platform.region.currency,
      clock: options.clock ?? platform.clock,
      deps: { catalog, pricing, inventory },
      ...(options.idleTtlMs !== undefined ? { idleTtlMs: options.idleTtlMs } : {}),
    });
    return {
      name: 'cart',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(cartRoutes, { ...services, guards });
      },
      consumers: cartRegistrations(services),
      tasks: [
        idleSweeper(
          services.sweep,
          options.sweepIntervalMs ?? HOUR_MS,
          options.purgeGraceMs ?? DEFAULT_PURGE_GRACE_MS,
          platform.logger,
        ),
      ],
      personalData: {
        section: 'carts',
        exportFor: (customerId) => services.exportCarts.execute(customerId),
      },
    };
  },
});
