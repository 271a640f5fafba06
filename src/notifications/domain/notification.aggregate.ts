import { AggregateRoot } from '../../platform/domain/aggregate-root.js';
import {
  type NotificationStatus,
  type NotificationTemplate,
  notificationStates,
} from './notification.lifecycle.js';
import { type RetrySchedule, retryDelayMs } from './notification-retry.policy.js';

/**
 * The event's facts a template needs beyond the order (which is read when the mail is sent): the
 * tracking number of a dispatch, the amount of a refund, the reason of a cancellation, the number and
 * lines of a return (or of the return a replacement is sent for). Ids and business facts only, like
 * the events they come from.
 */
export interface NotificationFacts {
  trackingNumber?: string;
  amount?: number;
  currency?: string;
  reason?: string;
  /** the return's number, `EU-000123-R1` */
  returnNumber?: string;
  /** the units of an approved return */
  returnLines?: { sku: string; quantity: number }[];
}

/** A copy that shares nothing with the original (the return's lines are an array). */
const copyFacts = (facts: NotificationFacts): NotificationFacts => ({
  ...facts,
  ...(facts.returnLines ? { returnLines: facts.returnLines.map((l) => ({ ...l })) } : {}),
});

/** What was rendered for the recipient, kept so staff can read the mail that was (or would be) sent. */
export interface RenderedMail {
  /** the customer the order belongs to (null: a guest order) */
  customerId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface NotificationProps {
  id: string;
  /** the integration event (`ce_id`) it answers: one notification per event and template */
  eventId: string;
  template: NotificationTemplate;
  orderId: string;
  locale: string;
  facts: NotificationFacts;
  customerId: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  status: NotificationStatus;
  /** send attempts since it was (re)queued */
  attempts: number;
  /** when the sender may take it next (queued only) */
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  /** when the customer's personal data was erased from it */
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Why a notification is failed without an attempt: there is nobody (any more) to send it to. */
export const NO_RECIPIENT = 'no recipient: the order has no email address or the customer’s data was erased';

/**
 * One transactional email, from the event that asked for it to the mailer: `queued` by the event's
 * consumer, rendered and handed to the mailer by the sender, retried with backoff, `sent` or `failed`;
 * staff may queue it again. Moves only through the transition table (notification.lifecycle.ts).
 */
export class Notification extends AggregateRoot {
  private constructor(private readonly props: NotificationProps) {
    super();
  }

  static queue(input: {
    id: string;
    eventId: string;
    template: NotificationTemplate;
    orderId: string;
    locale: string;
    facts: NotificationFacts;
    now: Date;
  }): Notification {
    return new Notification({
      ...input,
      facts: copyFacts(input.facts),
      customerId: null,
      to: null,
      subject: null,
      text: null,
      html: null,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: input.now,
      lastError: null,
      sentAt: null,
      erasedAt: null,
      createdAt: input.now,
      updatedAt: input.now,
      version: 0,
    });
  }

  static restore(props: NotificationProps): Notification {
    return new Notification({ ...props, facts: copyFacts(props.facts) });
  }

  get id(): string {
    return this.props.id;
  }

  get status(): NotificationStatus {
    return this.props.status;
  }

  snapshot(): Readonly<NotificationProps> {
    return { ...this.props, facts: copyFacts(this.props.facts) };
  }

  markSaved(version: number): void {
    this.props.version = version;
  }

  /** Taken by a sender until `until`: no other pass takes it before (a sender that died lets it go). */
  lease(until: Date, now: Date): void {
    if (this.props.status !== 'queued') throw new Error(`notification ${this.id} is ${this.props.status}`);
    this.props.nextAttemptAt = until;
    this.props.updatedAt = now;
  }

  /** The mail as rendered for its recipient (before it is handed to the mailer). */
  rendered(mail: RenderedMail, now: Date): void {
    this.props.customerId = mail.customerId;
    this.props.to = mail.to;
    this.props.subject = mail.subject;
    this.props.text = mail.text;
    this.props.html = mail.html;
    this.props.updatedAt = now;
  }

  /** The mailer took it. */
  delivered(now: Date): void {
    this.props.status = notificationStates.transition(this.props.status, 'sent');
    this.props.attempts += 1;
    this.props.sentAt = now;
    this.props.nextAttemptAt = null;
    this.props.lastError = null;
    this.props.updatedAt = now;
  }

  /** An attempt failed: tried again after the schedule's delay, or `failed` after its last attempt. */
  attemptFailed(error: string, now: Date, schedule: RetrySchedule): void {
    if (this.props.status !== 'queued') throw new Error(`notification ${this.id} is ${this.props.status}`);
    this.props.attempts += 1;
    this.props.lastError = error;
    this.props.updatedAt = now;
    if (this.props.attempts >= schedule.maxAttempts) {
      this.props.status = notificationStates.transition(this.props.status, 'failed');
      this.props.nextAttemptAt = null;
    } else {
      this.props.nextAttemptAt = new Date(now.getTime() + retryDelayMs(schedule, this.props.attempts));
    }
  }

  /** Nothing to try: `failed` at once with the reason, no attempt counted (nothing left the machine). */
  undeliverable(reason: string, now: Date): void {
    this.props.status = notificationStates.transition(this.props.status, 'failed');
    this.props.lastError = reason;
    this.props.nextAttemptAt = null;
    this.props.updatedAt = now;
  }

  /** Staff resend: queued again, due now, attempts from zero. 409 when it is still queued. */
  resend(now: Date): void {
    this.props.status = notificationStates.transition(this.props.status, 'queued');
    this.props.attempts = 0;
    this.props.nextAttemptAt = now;
    this.props.lastError = null;
    this.props.sentAt = null;
    this.props.updatedAt = now;
  }

  /**
   * GDPR erasure: the address and the rendered mail (they hold the name and address) are gone; one
   * still queued is failed — nothing is sent to an erased customer.
   */
  erase(now: Date): void {
    this.props.to = null;
    this.props.text = null;
    this.props.html = null;
    this.props.erasedAt = now;
    this.props.updatedAt = now;
    if (this.props.status === 'queued') this.undeliverable(NO_RECIPIENT, now);
  }
}
