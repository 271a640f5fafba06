import { NotFoundError } from '../../platform/errors.js';
import { type Address, type AddressInput, updateAddress } from '../domain/address.entity.js';
import type { IdentityDeps } from './identity.deps.js';

/** Changes one of the caller's addresses (404 for an address that is not theirs). */
export class ChangeAddress {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow' | 'clock'>) {}

  execute(userId: string, addressId: string, changes: Partial<AddressInput>): Promise<Address> {
    return this.deps.uow.run(async ({ repos }) => {
      const current = await repos.addresses.find(userId, addressId);
      if (!current) throw new NotFoundError('Address');
      const next = updateAddress(current, changes, this.deps.clock.now());
      await repos.addresses.update(next);
      return next;
    });
  }
}
