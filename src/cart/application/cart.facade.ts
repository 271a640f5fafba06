import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { CartFacade, OpenCartSnapshot } from '../contract.js';
import type { CartDeps } from './cart.deps.js';
import type { CartUseCases } from './cart.use-cases.js';

/** What other contexts call: identity at login, checkout when it places an order. */
export class CartFacadeService implements CartFacade {
  constructor(
    private readonly deps: CartDeps,
    private readonly carts: CartUseCases,
  ) {}

  adoptGuestCart(cartId: string, customerId: string): Promise<void> {
    return this.carts.adoptGuestCart(cartId, customerId);
  }

  async getOpenCart(cartId: string, tx?: TransactionHandle): Promise<OpenCartSnapshot | null> {
    if (!isUuid(cartId)) return null;
    const cart = tx
      ? await this.deps.uow.join(tx, ({ repos }) => repos.carts.findForUpdate(cartId))
      : await this.deps.read.run(({ repos }) => repos.carts.find(cartId));
    if (!cart?.isLiveAt(this.deps.clock.now())) return null;
    return {
      id: cart.id,
      customerId: cart.customerId,
      email: cart.email,
      currency: cart.currency,
      lines: cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      promotionCode: cart.promotionCode,
      shippingAddress: cart.shippingAddress ? { ...cart.shippingAddress } : null,
      shippingOption: cart.shippingOption,
      updatedAt: cart.updatedAt,
      version: cart.version,
    };
  }

  close(cartId: string, orderId: string, tx: TransactionHandle): Promise<void> {
    return this.deps.uow.join(tx, (scope) => this.carts.closeForOrder(scope, cartId, orderId));
  }

  reopen(cartId: string, orderId: string, tx: TransactionHandle): Promise<boolean> {
    return this.deps.uow.join(tx, (scope) => this.carts.reopenAfterOrder(scope, cartId, orderId));
  }
}
