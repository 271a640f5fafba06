import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { type Mailer, MailerError, type OutgoingMail } from '../../application/mailer.port.js';

/** Where and how to reach the SMTP server, from `SMTP_URL` (`smtp://user:pass@host:port` or `smtps://`). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** smtps: TLS from the first byte (465); smtp: plain, upgraded with STARTTLS when the server offers it */
  secure: boolean;
  auth: { user: string; pass: string } | null;
  /** ms to connect, to wait for the greeting, and of silence on the socket */
  timeoutMs: number;
}

/** The settings of an `smtp://` or `smtps://` URL (config.ts validated its protocol). */
export const smtpSettings = (url: string, timeoutMs = 10_000): SmtpSettings => {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : null,
    timeoutMs,
  };
};

/**
 * The `Mailer` over SMTP, through nodemailer. One connection per mail (a pass of the sender sends
 * few); every failure — unreachable, refused (4xx/5xx), timed out — is a {@link MailerError} whose
 * message names the SMTP reply, never the credentials (they are cut out of whatever the server or
 * nodemailer said) nor an email address (personal data: the message is logged and stored).
 * nodemailer's own logging is off.
 */
export class NodemailerMailer implements Mailer {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly secrets: string[];

  constructor(private readonly settings: SmtpSettings) {
    const options: SMTPTransport.Options = {
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      logger: false,
      debug: false,
      ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.pass } } : {}),
    };
    this.transport = nodemailer.createTransport(options);
    const pass = settings.auth?.pass ?? '';
    this.secrets = pass ? [pass, encodeURIComponent(pass), Buffer.from(pass).toString('base64')] : [];
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: mail.from,
        to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.id}@${this.settings.host}>`,
      });
    } catch (err) {
      throw new MailerError(this.describe(err));
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  /** What went wrong, for the notification's `lastError` and the logs: the code and the SMTP reply. */
  private describe(err: unknown): string {
    const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
    const parts = [
      'SMTP',
      e.code ?? null,
      e.responseCode ? String(e.responseCode) : null,
      (e.response ?? e.message ?? 'send failed').replace(/\s+/g, ' ').trim(),
    ].filter((p): p is string => p !== null);
    let message = parts.join(' ');
    for (const secret of this.secrets) message = message.split(secret).join('***');
    // a reply may quote the recipient (`550 <ada@example.com>: unknown user`): no address in logs or rows
    return message
      .replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@')
      .replace(/[^\s<>"'@]+@[^\s<>"']+/g, '[address]');
  }
}
