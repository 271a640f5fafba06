import type { Mailer, OutgoingMail } from '../../application/mailer.port.js';

/**
 * The `Mailer` without `SMTP_URL` (the embedded default): nothing leaves the machine. The mail is kept —
 * the notification's row holds what was rendered, staff read it at
 * `GET /api/v1/admin/notifications/:id` — and the last `keep` mails stay in memory for tests.
 */
export class StoredMailer implements Mailer {
  readonly mails: OutgoingMail[] = [];

  constructor(private readonly keep = 100) {}

  async send(mail: OutgoingMail): Promise<void> {
    this.mails.push(mail);
    if (this.mails.length > this.keep) this.mails.splice(0, this.mails.length - this.keep);
  }
}
