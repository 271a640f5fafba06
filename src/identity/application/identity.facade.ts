import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { IdentityFacade } from '../contract.js';
import type { IdentityDeps } from './identity.deps.js';

/** What other contexts may ask identity: whether a customer exists, and how to reach them. */
export class IdentityFacadeService implements IdentityFacade {
  constructor(private readonly deps: IdentityDeps) {}

  async customerExists(customerId: string, tx?: TransactionHandle): Promise<boolean> {
    return (await this.customerContact(customerId, tx)) !== null;
  }

  async customerContact(
    customerId: string,
    tx?: TransactionHandle,
  ): Promise<{ email: string; name: string } | null> {
    if (!isUuid(customerId)) return null;
    const user = await readWithin(this.deps.read, tx, ({ repos }) => repos.users.findById(customerId));
    return user?.isActive ? { email: user.email, name: user.name } : null;
  }
}
