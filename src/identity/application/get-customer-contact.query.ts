import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { IdentityDeps } from './identity.deps.js';

/**
 * How to reach an active customer (the facade's `customerContact`, and `customerExists` when it is
 * not null); null for an unknown or erased account. On the caller's transaction when `tx` is given.
 */
export class GetCustomerContact {
  constructor(private readonly deps: Pick<IdentityDeps, 'read'>) {}

  async execute(customerId: string, tx?: TransactionHandle): Promise<{ email: string; name: string } | null> {
    if (!isUuid(customerId)) return null;
    const user = await readWithin(this.deps.read, tx, ({ repos }) => repos.users.findById(customerId));
    return user?.isActive ? { email: user.email, name: user.name } : null;
  }
}
