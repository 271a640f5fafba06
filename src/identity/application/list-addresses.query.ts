import type { Address } from '../domain/address.entity.js';
import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

/** The caller's addresses (404 once the account is erased). */
export class ListAddresses {
  constructor(private readonly deps: Pick<IdentityDeps, 'read'>) {}

  execute(userId: string): Promise<Address[]> {
    return this.deps.read.run(async ({ repos }) => {
      await activeUser(repos, userId);
      return repos.addresses.listByUser(userId);
    });
  }
}
