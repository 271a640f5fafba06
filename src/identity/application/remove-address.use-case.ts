import { NotFoundError } from '../../platform/errors.js';
import type { IdentityDeps } from './identity.deps.js';

/** Deletes one of the caller's addresses (404 for an address that is not theirs). */
export class RemoveAddress {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow'>) {}

  async execute(userId: string, addressId: string): Promise<void> {
    const removed = await this.deps.uow.run(({ repos }) => repos.addresses.delete(userId, addressId));
    if (!removed) throw new NotFoundError('Address');
  }
}
