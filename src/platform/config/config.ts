import { z } from 'zod';
import { REGION_CODES } from '../region/region-presets.js';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    )
    .optional();

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Every environment variable shopcore reads. The names are binding: ops scripts use them. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0, 65535),
    HOST: z.string().min(1).default('0.0.0.0'),
    REGION: z.enum(REGION_CODES, { message: `must be one of ${REGION_CODES.join(', ')}` }).default('eu'),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
    // 2 at least: in embedded mode the outbox relay holds one while in-process consumers take another
    DB_POOL_SIZE: int(10, 2, 200),
    DB_POOL_ACQUIRE_TIMEOUT_MS: int(3000, 50, 60_000),
    DB_POOL_MAX_WAITING: int(1000, 0, 100_000),
    DB_NESTED_CHECKOUT: z
      .enum(['warn', 'error'], { message: 'must be warn or error' })
      .default('warn')
      .describe('a pool checkout from inside a transaction: warn (log + metric) or error (fail it)'),
    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    /** prefix of every Redis key of this process; `shopcore:<REGION>:` when unset */
    REDIS_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:._-]+$/, 'may only contain letters, digits, ":", ".", "_" and "-"')
      .optional(),
    KAFKA_BROKERS: csv.refine(
      (list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
      'must be host:port[,host:port...]',
    ),
    KAFKA_TOPIC_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"')
      .default(''),
    KAFKA_IDEMPOTENT: bool(true),
    KAFKA_CREATE_TOPICS: bool(true),
    KAFKA_CLIENT_ID: z.string().min(1).default('shopcore'),
    /**
     * how long a consumer may go silent before its group gives its partitions to the others: an
     * instance that died is replaced after this, and an instance that joins waits up to this for
     * the members that do not answer the rebalance; heartbeats go every third of it (at most 3 s).
     * Kafka's own bounds by default: 6 s (group.min.session.timeout.ms) to 300 s
     */
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
    ADMIN_EMAIL: z.email('must be an email address').optional(),
    // the password policy of identity (password.policy.ts): 10 characters at least, counted in code
    // points, and not whitespace alone — refused here, in one line, rather than when the admin is created
    ADMIN_PASSWORD: z
      .string()
      .refine((v) => [...v].length >= 10, 'must be at least 10 characters')
      .refine((v) => v.trim() !== '', 'must not be only whitespace')
      .optional(),
    JWT_PRIVATE_KEY: z.string().min(1).optional(),
    /** encrypts the generated signing key at rest (AES-256-GCM) when JWT_PRIVATE_KEY is unset */
    JWT_KEY_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** how long a replaced signing key still verifies (and stays in the JWKS) after a rotation */
    JWT_ROTATION_GRACE_SECONDS: int(1800, 0, 604_800),
    ACCESS_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
    REFRESH_TOKEN_TTL_SECONDS: int(604_800, 300, 7_776_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
    OTEL_SERVICE_NAME: z.string().min(1).default('shopcore'),
    CORS_ORIGINS: csv,
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx): boolean | number | string => {
        if (v === 'false' || v === '0') return false;
        if (v === 'true') return true;
        if (/^[1-9]\d?$/.test(v)) return Number(v);
        if (/^[0-9a-fA-F.:/,\s]+$/.test(v)) return v;
        ctx.addIssue({
          code: 'custom',
          message: 'must be false, true, a hop count (1-99) or a list of proxy addresses/CIDRs',
        });
        return z.NEVER;
      }),
    RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
    AUTH_RATE_LIMIT_PER_MINUTE: int(30, 1, 1_000_000),
    USER_RATE_LIMIT_PER_MINUTE: int(600, 1, 1_000_000),
    /**
     * Failed logins per account (whatever the client address) within LOGIN_FAILURE_WINDOW_SECONDS,
     * counted from the first; beyond them, logins to it answer 429 until the window ends (ADR 0026).
     */
    LOGIN_FAILURES_PER_ACCOUNT: int(10, 1, 1000),
    LOGIN_FAILURE_WINDOW_SECONDS: int(900, 1, 86_400),
    BODY_LIMIT_BYTES: int(1_048_576, 1024, 100 * 1_048_576),
    PAYMENT_PROVIDER: z
      .enum(['fake', 'stripe'], { message: 'must be fake or stripe' })
      .default('fake')
      .describe('the payment provider: fake (built-in, tests and demos) or stripe (the official SDK)'),
    /** Stripe's secret API key (sk_live_… / sk_test_…); required with PAYMENT_PROVIDER=stripe */
    STRIPE_SECRET_KEY: z.string().trim().min(1).optional(),
    /** the signing secret of the Stripe webhook endpoint (whsec_…); required with PAYMENT_PROVIDER=stripe */
    STRIPE_WEBHOOK_SECRET: z.string().trim().min(1).optional(),
    /** another base URL for Stripe's API (an emulator in tests); Stripe's own when unset */
    STRIPE_API_URL: optionalUrl(['http:', 'https:']),
    FAKE_PSP_OUTAGE: bool(false),
    /** HMAC-SHA256 key of the fake provider's webhooks; required in production, a fixed dev key otherwise */
    FAKE_PSP_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SEARCH_INDEX: z
      .enum(['memory', 'postgres'], { message: 'must be memory or postgres' })
      .default('memory')
      .describe(
        'storefront listing and search: memory (in-process index fed from PostgreSQL) or postgres (a query per request)',
      ),
    SEARCH_REFRESH_MS: int(1000, 50, 60_000),
    SEED_DEMO_DATA: z
      .enum(['auto', 'true', 'false'], { message: 'must be auto, true or false' })
      .default('auto')
      .describe('auto: seed the demo shop when running on embedded Postgres with an empty catalog'),
    RESERVATION_TTL_SECONDS: int(900, 10, 86_400),
    /**
     * Days after an order's last delivery during which its units may be returned (docs/returns.md);
     * 0: no returns in this region. Once it has passed with no return open the order is COMPLETED.
     */
    RETURN_WINDOW_DAYS: int(30, 0, 3650),
    /** how often delivered orders whose return window closed are completed (at least once a minute) */
    RETURNS_COMPLETION_INTERVAL_MS: int(60_000, 100, 60_000),
    /**
     * Where customer email goes: `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://`
     * (TLS). Unset (the embedded default): nothing is sent, mails are kept for staff to read. A secret:
     * never logged, never echoed in a configuration error.
     */
    SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
    /** the From of customer email: `address` or `Name <address>` */
    MAIL_FROM: z
      .string()
      .trim()
      .regex(
        /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
        'must be an email address, or a name and <address>',
      )
      .default('shopcore <no-reply@shopcore.example>'),
    /**
     * where customers send returned parcels, quoted in the return-approved email (one line, per
     * region deploy); the default is a placeholder to replace in production
     */
    RETURNS_ADDRESS: z
      .string()
      .trim()
      .min(1)
      .max(300, 'must be at most 300 characters')
      .regex(/^[^\r\n]*$/, 'must be one line')
      .default('shopcore Returns, 1 Warehouse Road, 10115 Berlin, Germany'),
    OUTBOX_RELAY_ENABLED: bool(true),
    OUTBOX_POLL_INTERVAL_MS: int(50, 5, 60_000),
    OUTBOX_BATCH_SIZE: int(500, 1, 10_000),
    SHUTDOWN_TIMEOUT_MS: int(10_000, 0, 600_000),
  })
  .refine((c) => (c.ADMIN_EMAIL === undefined) === (c.ADMIN_PASSWORD === undefined), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .refine(
    (c) =>
      c.NODE_ENV !== 'production' ||
      !c.DATABASE_URL ||
      c.JWT_PRIVATE_KEY !== undefined ||
      c.JWT_KEY_ENCRYPTION_KEY !== undefined,
    {
      message:
        'or JWT_PRIVATE_KEY is required when NODE_ENV=production with a DATABASE_URL (the generated signing key is never stored in plaintext)',
      path: ['JWT_KEY_ENCRYPTION_KEY'],
    },
  )
  .refine((c) => c.NODE_ENV !== 'production' || c.FAKE_PSP_WEBHOOK_SECRET !== undefined, {
    message: 'is required when NODE_ENV=production (the key that signs the fake payment provider’s webhooks)',
    path: ['FAKE_PSP_WEBHOOK_SECRET'],
  })
  .refine((c) => c.PAYMENT_PROVIDER !== 'stripe' || c.STRIPE_SECRET_KEY !== undefined, {
    message: 'is required when PAYMENT_PROVIDER=stripe (Stripe’s secret API key)',
    path: ['STRIPE_SECRET_KEY'],
  })
  .refine((c) => c.PAYMENT_PROVIDER !== 'stripe' || c.STRIPE_WEBHOOK_SECRET !== undefined, {
    message: 'is required when PAYMENT_PROVIDER=stripe (the signing secret of Stripe’s webhook endpoint)',
    path: ['STRIPE_WEBHOOK_SECRET'],
  })
  // outside production a fixed, public key: anyone can sign webhooks for a development instance
  .transform((c) => ({
    ...c,
    FAKE_PSP_WEBHOOK_SECRET: c.FAKE_PSP_WEBHOOK_SECRET ?? DEV_FAKE_PSP_WEBHOOK_SECRET,
  }));

/**
 * The fake provider's webhook key when FAKE_PSP_WEBHOOK_SECRET is unset (development and tests only;
 * production refuses to start without the variable). Public: docs/payments.md signs with it.
 */
export const DEV_FAKE_PSP_WEBHOOK_SECRET = 'shopcore-dev-fake-psp-webhook-secret';

export type Config = z.infer<typeof configSchema>;

/** A secret this instance runs with that is a public development default, and why that matters. */
export interface DevelopmentSecret {
  /** the environment variable that replaces it */
  variable: string;
  /** one sentence for the start-up warning; never the value */
  risk: string;
}

/**
 * The development defaults among this configuration's secrets: each is public (in the source and the
 * docs) or unprotected, so whoever reads them can forge what they protect. Logged as one loud `warn`
 * line each when an instance starts (runtime.ts); production refuses to start without the first two
 * only where they are required, so they can still show up in a production pod that runs embedded.
 */
export const developmentSecretsInUse = (c: Config): DevelopmentSecret[] => {
  const found: DevelopmentSecret[] = [];
  if (c.FAKE_PSP_WEBHOOK_SECRET === DEV_FAKE_PSP_WEBHOOK_SECRET) {
    found.push({
      variable: 'FAKE_PSP_WEBHOOK_SECRET',
      risk: 'the fake payment provider’s webhooks are verified with the public development key: anyone can forge captures, refunds and voids',
    });
  }
  if (c.JWT_PRIVATE_KEY === undefined && c.JWT_KEY_ENCRYPTION_KEY === undefined) {
    found.push({
      variable: 'JWT_KEY_ENCRYPTION_KEY',
      risk: 'the generated access-token signing key is stored unencrypted in Postgres: whoever reads the database can sign tokens for any account (or set JWT_PRIVATE_KEY)',
    });
  }
  if (c.DATABASE_URL === undefined) {
    found.push({
      variable: 'DATABASE_URL',
      risk: 'embedded PostgreSQL runs with the fixed development password: every local user of this machine can read and change the shop’s data',
    });
  }
  return found;
};

export class ConfigError extends Error {}

/** A URL's password never reaches an error message. */
const withoutCredentials = (value: string): string =>
  value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@');

/**
 * Reads the configuration from the environment. A bad value throws a ConfigError whose message is
 * one line naming the variable, e.g. `Invalid configuration: PORT must be at most 65535 (got "70000")`.
 */
export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? 'configuration');
  const secret = /PASSWORD|KEY|SECRET|TOKEN|SMTP_URL/.test(name);
  const raw = cleaned[name];
  const shown = raw === undefined || secret ? '' : ` (got ${JSON.stringify(withoutCredentials(raw))})`;
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
};
