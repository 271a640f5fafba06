import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the test server received: the parsed message and the envelope. */
export interface ReceivedMail {
  mail: ParsedMail;
  /** the SMTP envelope's recipients */
  rcptTo: string[];
  /** the user who authenticated, if any */
  user: string | null;
}

export interface TestSmtpServer {
  readonly port: number;
  /** `smtp://user:pass@127.0.0.1:<port>` (without credentials when the server needs none) */
  readonly url: string;
  readonly received: ReceivedMail[];
  /** how many MAIL FROM commands it answered (accepted or refused) */
  readonly attempts: number;
  /** refuse the next `n` mails with a temporary `451` (the server is busy) */
  refuseNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free local port (the `smtp-server` package), for tests: plain text (no
 * STARTTLS), AUTH PLAIN/LOGIN required when `auth` is given, every accepted message parsed with
 * `mailparser`. A recipient whose address starts with `unknown` is refused (550). `refuseNext(n)` makes it answer 451 to the next n mails. `port`: a given one (a server
 * back where the app expects it), else a free one.
 */
export const startSmtpServer = async (
  opts: { auth?: { user: string; pass: string }; port?: number } = {},
): Promise<TestSmtpServer> => {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  let attempts = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onMailFrom(_address, _session, callback) {
      attempts += 1;
      if (refusals > 0) {
        refusals -= 1;
        const err = new Error('Too busy, try again later') as Error & { responseCode: number };
        err.responseCode = 451;
        callback(err);
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('unknown')) {
        const err = new Error(`<${address.address}>: Recipient address rejected: User unknown`) as Error & {
          responseCode: number;
        };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mail,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : null,
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const credentials = opts.auth
    ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@`
    : '';
  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    get attempts() {
      return attempts;
    },
    refuseNext: (n) => {
      refusals = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
