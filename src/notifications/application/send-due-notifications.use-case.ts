import type { OrderSnapshot } from '../../orders/contract.js';
import { NO_RECIPIENT, type Notification } from '../domain/notification.aggregate.js';
import { formatMoney } from '../domain/notification.format.js';
import type { MailData } from './mail-renderer.port.js';
import { MailerError } from './mailer.port.js';
import type { NotificationsDeps } from './notifications.deps.js';

export interface SendPass {
  sent: number;
  retried: number;
  failed: number;
}

interface Recipient {
  customerId: string | null;
  address: string;
  name: string | null;
}

/** At most this much of an error is stored and shown. */
const MAX_ERROR = 500;

/**
 * One pass of the sender (a periodic task): takes the queued notifications that are due — leasing them
 * in one short transaction so another instance's sender skips them — and, outside every transaction,
 * for each reads the recipient as they are now (the customer's account email through identity, or a
 * guest order's email), renders the mail in its locale and hands it to the mailer. A mail the mailer
 * took is `sent`; a failure is retried with exponential backoff, then `failed`; nobody to send it to
 * (an erased customer) is `failed` at once with nothing sent. Each outcome is written in a transaction
 * of its own; a sender that dies mid-pass leaves its notifications to the next pass once the lease ends,
 * and a pass that ran out of its time budget (a slow server) hands back what it did not try.
 */
export class SendDueNotifications {
  constructor(private readonly deps: NotificationsDeps) {}

  async execute(): Promise<SendPass> {
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + this.deps.leaseMs);
    const taken = await this.deps.uow.run(async ({ repos }) => {
      const due = await repos.notifications.dueForUpdate(now, this.deps.batchSize);
      for (const n of due) {
        n.lease(until, now);
        await repos.notifications.save(n);
      }
      return due;
    });
    const pass: SendPass = { sent: 0, retried: 0, failed: 0 };
    const deadline = now.getTime() + this.deps.passBudgetMs;
    for (const [i, n] of taken.entries()) {
      if (this.deps.clock.now().getTime() >= deadline) {
        await this.release(taken.slice(i));
        break;
      }
      const outcome = await this.deliver(n);
      if (outcome) pass[outcome] += 1;
    }
    return pass;
  }

  /** The pass ran out of time: what it took and did not try is due again at once (the next pass). */
  private async release(left: Notification[]): Promise<void> {
    const now = this.deps.clock.now();
    try {
      await this.deps.uow.run(async ({ repos }) => {
        for (const n of left) {
          n.lease(now, now);
          await repos.notifications.save(n);
        }
      });
    } catch (err) {
      // their lease runs out instead
      this.deps.logger.warn(
        { err, count: left.length },
        'could not hand back notifications; their lease will end',
      );
    }
  }

  private async deliver(n: Notification): Promise<keyof SendPass | null> {
    const s = n.snapshot();
    const order = await this.deps.orders.get(s.orderId);
    const recipient = order ? await this.recipientOf(order) : null;
    if (!order || !recipient) {
      n.undeliverable(NO_RECIPIENT, this.deps.clock.now());
      return this.record(n, 'failed');
    }
    const locales = [s.locale, ...this.deps.locales, 'en'];
    const content = this.deps.renderer.render(s.template, locales, this.dataFor(n, order, recipient));
    n.rendered(
      { customerId: recipient.customerId, to: recipient.address, ...content },
      this.deps.clock.now(),
    );
    try {
      await this.deps.mailer.send({
        id: s.id,
        from: this.deps.from,
        to: { address: recipient.address, name: recipient.name },
        ...content,
      });
      n.delivered(this.deps.clock.now());
      return this.record(n, 'sent');
    } catch (err) {
      const message = err instanceof MailerError ? err.message : 'the mailer failed unexpectedly';
      if (!(err instanceof MailerError)) this.deps.logger.error({ err, notificationId: s.id }, message);
      n.attemptFailed(message.slice(0, MAX_ERROR), this.deps.clock.now(), this.deps.retry);
      const outcome = n.status === 'failed' ? 'failed' : 'retried';
      this.deps.logger.warn(
        { notificationId: s.id, attempts: n.snapshot().attempts, outcome, error: message },
        'a notification could not be sent',
      );
      return this.record(n, outcome);
    }
  }

  private async recipientOf(order: OrderSnapshot): Promise<Recipient | null> {
    if (order.customerId) {
      const contact = await this.deps.identity.customerContact(order.customerId);
      return contact ? { customerId: order.customerId, address: contact.email, name: contact.name } : null;
    }
    return order.email
      ? { customerId: null, address: order.email, name: order.shippingAddress?.name ?? null }
      : null;
  }

  private dataFor(n: Notification, order: OrderSnapshot, recipient: Recipient): MailData {
    const { facts, locale } = n.snapshot();
    const money = (minor: number, currency = order.currency) => formatMoney(minor, currency, locale);
    return {
      name: recipient.name,
      orderNumber: order.number,
      lines: order.lines.map((l) => ({ name: l.name, quantity: l.quantity, total: money(l.lineTotal) })),
      total: money(order.total),
      trackingNumber: facts.trackingNumber ?? null,
      amount: facts.amount === undefined ? null : money(facts.amount, facts.currency ?? order.currency),
      reason: facts.reason ?? null,
      returnNumber: facts.returnNumber ?? null,
      returnLines: (facts.returnLines ?? []).map((l) => ({
        sku: l.sku,
        name: order.lines.find((o) => o.sku === l.sku)?.name ?? l.sku,
        quantity: l.quantity,
      })),
      returnsAddress: this.deps.returnsAddress,
    };
  }

  /** Writes the outcome; a notification staff changed meanwhile (a resend) keeps their change. */
  private async record(n: Notification, outcome: keyof SendPass): Promise<keyof SendPass | null> {
    try {
      await this.deps.uow.run(({ repos }) => repos.notifications.save(n));
    } catch (err) {
      this.deps.logger.warn({ err, notificationId: n.id }, 'a notification changed while it was sent');
      return null;
    }
    this.deps.count(outcome);
    return outcome;
  }
}
