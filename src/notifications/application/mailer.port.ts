/** One email as the mailer sends it. */
export interface OutgoingMail {
  /** the notification's id: the Message-ID's local part, so a resend is recognisable */
  id: string;
  from: string;
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends email: nodemailer over SMTP (`SMTP_URL`), or, without it, a stored-mail adapter that keeps
 * the mail in the process and sends nothing (the embedded default). Called outside every transaction.
 */
export interface Mailer {
  /** Resolves once the server accepted the mail; rejects with a {@link MailerError} otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  /** Releases connections (shutdown). */
  close?(): Promise<void>;
}

/**
 * The mail was not accepted (server unreachable, refused, timed out). The message is safe to store
 * and show: it never holds the SMTP credentials.
 */
export class MailerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailerError';
  }
}
