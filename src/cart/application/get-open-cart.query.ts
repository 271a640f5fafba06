import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { OpenCartSnapshot } from '../contract.js';
import type { CartDeps } from './cart.deps.js';

/**
 * The cart as checkout reads it, if it is open and not idle-expired, else null (ownership is
 * checkout's to check). Inside the caller's transaction `tx` the row is locked for the rest of it.
 */
export class GetOpenCart {
  constructor(private readonly deps: CartDeps) {}

  async execute(cartId: string, tx?: TransactionHandle): Promise<OpenCartSnapshot | null> {
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
}
