import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { NotificationsDeps } from './notifications.deps.js';

/**
 * GDPR erasure (on CustomerErased, in the consumer's inbox transaction `tx`): the customer's
 * notifications lose their address and rendered mail, one still queued is failed; how many.
 * Notifications not rendered yet have no customer: the sender finds no contact for an erased customer
 * and sends nothing.
 */
export class EraseCustomerNotifications {
  constructor(private readonly deps: NotificationsDeps) {}

  execute(customerId: string, tx: TransactionHandle): Promise<number> {
    return this.deps.uow.join(tx, async ({ repos }) => {
      const now = this.deps.clock.now();
      const notifications = await repos.notifications.ofCustomerForUpdate(customerId);
      for (const n of notifications) {
        n.erase(now);
        await repos.notifications.save(n);
      }
      return notifications.length;
    });
  }
}
