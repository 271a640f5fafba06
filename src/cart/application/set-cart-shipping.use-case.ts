import { ValidationError } from '../../platform/errors.js';
import type { Cart, ShippingAddress } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';

/** Sets the shipping address and one of the region's shipping options (else 400, path `option`). */
export class SetCartShipping {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, address: ShippingAddress, option: string): Promise<Cart> {
    const codes = this.deps.pricing.shippingOptions().map((o) => o.code);
    if (!codes.includes(option)) {
      throw new ValidationError('Unknown shipping option', [
        { path: 'option', message: `must be one of ${codes.join(', ')}` },
      ]);
    }
    return changeAccessibleCart(this.deps, id, caller, async (cart, now) =>
      cart.setShipping(address, option, now),
    );
  }
}
