import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import { Notification, type NotificationFacts } from '../domain/notification.aggregate.js';
import type { NotificationTemplate } from '../domain/notification.lifecycle.js';
import type { NotificationsDeps } from './notifications.deps.js';

export interface NotificationRequest {
  /** the integration event's `ce_id` */
  eventId: string;
  template: NotificationTemplate;
  orderId: string;
  facts: NotificationFacts;
}

/**
 * An event asks for an email (in the consumer's inbox transaction `tx`): a `queued` notification in the
 * region's default locale, due at once. Nothing is rendered or sent here — the sender does that
 * outside every transaction. The same event and template twice queue one notification (the unique
 * `(event_id, template)`, beyond the inbox): true when this call queued it.
 */
export class QueueNotification {
  constructor(private readonly deps: NotificationsDeps) {}

  execute(request: NotificationRequest, tx: TransactionHandle): Promise<boolean> {
    return this.deps.uow.join(tx, ({ repos }) =>
      repos.notifications.insert(
        Notification.queue({
          id: newId(),
          eventId: request.eventId,
          template: request.template,
          orderId: request.orderId,
          locale: this.deps.locales[0] ?? 'en',
          facts: request.facts,
          now: this.deps.clock.now(),
        }),
      ),
    );
  }
}
