import { ConflictError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import {
  type Address,
  type AddressInput,
  MAX_ADDRESSES_PER_USER,
  newAddress,
} from '../domain/address.entity.js';
import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

/** A new address on the caller's account, up to MAX_ADDRESSES_PER_USER (409 beyond). */
export class AddAddress {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow' | 'clock'>) {}

  execute(userId: string, input: AddressInput): Promise<Address> {
    return this.deps.uow.run(async ({ repos }) => {
      await activeUser(repos, userId, true);
      if ((await repos.addresses.count(userId)) >= MAX_ADDRESSES_PER_USER) {
        throw new ConflictError(`An account can keep at most ${MAX_ADDRESSES_PER_USER} addresses`);
      }
      const address = newAddress(newId(), userId, input, this.deps.clock.now());
      await repos.addresses.insert(address);
      return address;
    });
  }
}
