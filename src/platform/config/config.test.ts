import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_FAKE_PSP_WEBHOOK_SECRET, developmentSecretsInUse, loadConfig } from './config.js';

/** The message of the ConfigError that loadConfig throws for env, or fails the test. */
const failure = (env: Record<string, string | undefined>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
};

const ADMIN_SECRET = 'S3cret-Admin-Passw0rd';
const JWT_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('the Kafka consumer session timeout', () => {
  it('is kafkajs’s 30 s by default, and within Kafka’s default bounds (6 s to 300 s) when set', () => {
    expect(loadConfig({}).KAFKA_SESSION_TIMEOUT_MS).toBe(30_000);
    expect(loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000' }).KAFKA_SESSION_TIMEOUT_MS).toBe(6_000);
    expect(failure({ KAFKA_SESSION_TIMEOUT_MS: '5999' })).toContain('KAFKA_SESSION_TIMEOUT_MS');
    expect(failure({ KAFKA_SESSION_TIMEOUT_MS: '300001' })).toContain('KAFKA_SESSION_TIMEOUT_MS');
  });
});

describe('the connection pool knobs', () => {
  it('defaults to a pool of 10, a 1 s acquire timeout, 1000 waiters and nested checkouts warned', () => {
    expect(loadConfig({})).toMatchObject({
      DB_POOL_SIZE: 10,
      DB_POOL_ACQUIRE_TIMEOUT_MS: 3000,
      DB_POOL_MAX_WAITING: 1000,
      DB_NESTED_CHECKOUT: 'warn',
    });
  });

  it('reads them and rejects values that cannot work', () => {
    expect(
      loadConfig({
        DB_POOL_SIZE: '25',
        DB_POOL_ACQUIRE_TIMEOUT_MS: '250',
        DB_POOL_MAX_WAITING: '0',
        DB_NESTED_CHECKOUT: 'error',
      }),
    ).toMatchObject({
      DB_POOL_SIZE: 25,
      DB_POOL_ACQUIRE_TIMEOUT_MS: 250,
      DB_POOL_MAX_WAITING: 0,
      DB_NESTED_CHECKOUT: 'error',
    });
    expect(failure({ DB_POOL_SIZE: '1' })).toBe(
      'Invalid configuration: DB_POOL_SIZE must be at least 2 (got "1")',
    );
    expect(failure({ DB_POOL_ACQUIRE_TIMEOUT_MS: '10' })).toMatch(
      /^Invalid configuration: DB_POOL_ACQUIRE_TIMEOUT_MS /,
    );
    expect(failure({ DB_NESTED_CHECKOUT: 'ignore' })).toMatch(
      /^Invalid configuration: DB_NESTED_CHECKOUT must be warn or error/,
    );
  });
});

describe('loadConfig defaults', () => {
  it('works with an empty environment and applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      REGION: 'eu',
      DATA_DIR: '.data',
      KAFKA_BROKERS: [],
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_IDEMPOTENT: true,
      LOG_LEVEL: 'info',
      RESERVATION_TTL_SECONDS: 900,
      RETURN_WINDOW_DAYS: 30,
      RETURNS_COMPLETION_INTERVAL_MS: 60_000,
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 604_800,
      FAKE_PSP_OUTAGE: false,
      CORS_ORIGINS: [],
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.REDIS_PREFIX).toBeUndefined();
    expect(c.ADMIN_EMAIL).toBeUndefined();
    expect(c.ADMIN_PASSWORD).toBeUndefined();
  });

  it('limits password attempts per account by default (ADR 0026), within ASVS 2.2.1: at most 100 failures an hour', () => {
    const c = loadConfig({});
    expect(c.LOGIN_FAILURES_PER_ACCOUNT).toBe(10);
    expect(c.LOGIN_FAILURE_WINDOW_SECONDS).toBe(900);
    // windows open at an account's first attempt: an hour touches at most 3600 / window + 1 of them
    expect(c.LOGIN_FAILURES_PER_ACCOUNT * (3600 / c.LOGIN_FAILURE_WINDOW_SECONDS + 1)).toBeLessThanOrEqual(
      100,
    );
    expect(loadConfig({ LOGIN_FAILURES_PER_ACCOUNT: '5', LOGIN_FAILURE_WINDOW_SECONDS: '60' })).toMatchObject(
      {
        LOGIN_FAILURES_PER_ACCOUNT: 5,
        LOGIN_FAILURE_WINDOW_SECONDS: 60,
      },
    );
    expect(failure({ LOGIN_FAILURES_PER_ACCOUNT: '0' })).toBe(
      'Invalid configuration: LOGIN_FAILURES_PER_ACCOUNT must be at least 1 (got "0")',
    );
    expect(failure({ LOGIN_FAILURE_WINDOW_SECONDS: '86401' })).toBe(
      'Invalid configuration: LOGIN_FAILURE_WINDOW_SECONDS must be at most 86400 (got "86401")',
    );
  });

  it('reads a return window of 0 days (no returns in the region)', () => {
    expect(loadConfig({ RETURN_WINDOW_DAYS: '0' }).RETURN_WINDOW_DAYS).toBe(0);
    expect(loadConfig({ RETURN_WINDOW_DAYS: '14' }).RETURN_WINDOW_DAYS).toBe(14);
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig({ PORT: '', REGION: '', DATABASE_URL: '', KAFKA_BROKERS: '' });
    expect(c.PORT).toBe(3000);
    expect(c.REGION).toBe('eu');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.KAFKA_BROKERS).toEqual([]);
  });

  it('reads given values and coerces types', () => {
    const c = loadConfig({
      PORT: '8080',
      REGION: 'us',
      DATABASE_URL: 'postgres://u:p@db:5432/shop',
      REDIS_URL: 'rediss://cache:6380',
      KAFKA_IDEMPOTENT: 'false',
      RESERVATION_TTL_SECONDS: '60',
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'root@shop.example',
      ADMIN_PASSWORD: ADMIN_SECRET,
    });
    expect(c).toMatchObject({
      PORT: 8080,
      REGION: 'us',
      DATABASE_URL: 'postgres://u:p@db:5432/shop',
      REDIS_URL: 'rediss://cache:6380',
      KAFKA_IDEMPOTENT: false,
      RESERVATION_TTL_SECONDS: 60,
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'root@shop.example',
      ADMIN_PASSWORD: ADMIN_SECRET,
    });
  });
});

describe('KAFKA_BROKERS', () => {
  it('parses a comma-separated list, trimming spaces and dropping empty entries', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'kafka-1:9092' }).KAFKA_BROKERS).toEqual(['kafka-1:9092']);
    expect(
      loadConfig({ KAFKA_BROKERS: ' kafka-1:9092 , kafka-2:9093,,10.0.0.7:19092 ' }).KAFKA_BROKERS,
    ).toEqual(['kafka-1:9092', 'kafka-2:9093', '10.0.0.7:19092']);
  });

  it('rejects a list with one entry lacking a port', () => {
    expect(failure({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2' })).toMatch(
      /^Invalid configuration: KAFKA_BROKERS /,
    );
  });
});

describe('loadConfig with a bad value', () => {
  it.each<[string, Record<string, string>, string]>([
    ['PORT out of range', { PORT: '70000' }, 'PORT'],
    ['PORT not a number', { PORT: 'abc' }, 'PORT'],
    ['PORT not whole', { PORT: '80.5' }, 'PORT'],
    ['an unknown REGION', { REGION: 'mars' }, 'REGION'],
    ['a non-Postgres DATABASE_URL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['a non-URL DATABASE_URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['a non-Redis REDIS_URL', { REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'],
    ['a REDIS_PREFIX with a space', { REDIS_PREFIX: 'shop core:' }, 'REDIS_PREFIX'],
    ['KAFKA_BROKERS without host:port', { KAFKA_BROKERS: 'nohostport' }, 'KAFKA_BROKERS'],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['KAFKA_IDEMPOTENT not a boolean', { KAFKA_IDEMPOTENT: 'maybe' }, 'KAFKA_IDEMPOTENT'],
    [
      'RESERVATION_TTL_SECONDS below the minimum',
      { RESERVATION_TTL_SECONDS: '1' },
      'RESERVATION_TTL_SECONDS',
    ],
    ['a negative RETURN_WINDOW_DAYS', { RETURN_WINDOW_DAYS: '-1' }, 'RETURN_WINDOW_DAYS'],
    ['a fractional RETURN_WINDOW_DAYS', { RETURN_WINDOW_DAYS: '14.5' }, 'RETURN_WINDOW_DAYS'],
    ['RETURN_WINDOW_DAYS not a number', { RETURN_WINDOW_DAYS: 'month' }, 'RETURN_WINDOW_DAYS'],
    [
      'a completion pass rarer than once a minute',
      { RETURNS_COMPLETION_INTERVAL_MS: '120000' },
      'RETURNS_COMPLETION_INTERVAL_MS',
    ],
  ])('%s throws a one-line ConfigError naming the variable', (_label, env, name) => {
    const message = failure(env);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    // it says what was wrong, with the offending (non-secret) value
    expect(message).toContain(JSON.stringify(Object.values(env)[0]));
  });

  it('names the variable and explains the rule', () => {
    expect(failure({ PORT: '70000' })).toBe(
      'Invalid configuration: PORT must be at most 65535 (got "70000")',
    );
    expect(failure({ REGION: 'mars' })).toContain('must be one of eu, us, apac');
  });

  it('stays on one line when the value itself has line breaks', () => {
    const message = failure({ KAFKA_BROKERS: 'kafka-1:9092\nkafka-2' });
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toMatch(/^Invalid configuration: KAFKA_BROKERS /);
  });

  it('reports only one problem, on one line, when several values are bad', () => {
    const message = failure({ PORT: 'abc', REGION: 'mars', LOG_LEVEL: 'loud' });
    expect(message).not.toMatch(/[\r\n]/);
    expect(message.match(/Invalid configuration/g)).toHaveLength(1);
  });

  it('rejects ADMIN_EMAIL without ADMIN_PASSWORD, naming the variable', () => {
    const message = failure({ ADMIN_EMAIL: 'root@shop.example' });
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toMatch(/^Invalid configuration: ADMIN_PASSWORD /);
  });

  it('rejects ADMIN_PASSWORD without ADMIN_EMAIL', () => {
    const message = failure({ ADMIN_PASSWORD: ADMIN_SECRET });
    expect(message).toMatch(/^Invalid configuration: (ADMIN_EMAIL|ADMIN_PASSWORD) /);
    expect(message).not.toContain(ADMIN_SECRET);
  });

  it('rejects an ADMIN_PASSWORD shorter than 10 characters without echoing it', () => {
    const message = failure({ ADMIN_EMAIL: 'root@shop.example', ADMIN_PASSWORD: 'hunter2!' });
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toMatch(/^Invalid configuration: ADMIN_PASSWORD /);
    expect(message).not.toContain('hunter2');
  });

  it('rejects an ADMIN_PASSWORD of only whitespace, or of fewer than 10 code points, without echoing it', () => {
    const blank = failure({ ADMIN_EMAIL: 'root@shop.example', ADMIN_PASSWORD: ' '.repeat(12) });
    expect(blank).toBe('Invalid configuration: ADMIN_PASSWORD must not be only whitespace');
    // 5 emoji are 10 UTF-16 units but 5 characters, as the password policy counts them
    const short = failure({ ADMIN_EMAIL: 'root@shop.example', ADMIN_PASSWORD: '😀'.repeat(5) });
    expect(short).toBe('Invalid configuration: ADMIN_PASSWORD must be at least 10 characters');
  });

  it('rejects an ADMIN_EMAIL that is not an email', () => {
    const message = failure({ ADMIN_EMAIL: 'root', ADMIN_PASSWORD: ADMIN_SECRET });
    expect(message).toMatch(/^Invalid configuration: ADMIN_EMAIL /);
    expect(message).not.toContain(ADMIN_SECRET);
  });

  it('never echoes secrets that sit next to the bad value', () => {
    const message = failure({
      PORT: '70000',
      ADMIN_EMAIL: 'root@shop.example',
      ADMIN_PASSWORD: ADMIN_SECRET,
      JWT_PRIVATE_KEY: JWT_PEM,
    });
    expect(message).toMatch(/^Invalid configuration: PORT /);
    expect(message).not.toContain(ADMIN_SECRET);
    expect(message).not.toContain('PRIVATE KEY');
    expect(message).not.toContain(JWT_PEM.split('\n')[1]!);
  });

  it('accepts a JWT_PRIVATE_KEY and keeps it verbatim', () => {
    expect(loadConfig({ JWT_PRIVATE_KEY: JWT_PEM }).JWT_PRIVATE_KEY).toBe(JWT_PEM);
  });
});

describe('FAKE_PSP_WEBHOOK_SECRET', () => {
  it('defaults to the public development key outside production', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      expect(loadConfig({ NODE_ENV }).FAKE_PSP_WEBHOOK_SECRET).toBe(DEV_FAKE_PSP_WEBHOOK_SECRET);
    }
  });

  it('is required in production, and taken as given', () => {
    const message = failure({ NODE_ENV: 'production' });
    expect(message).toMatch(
      /^Invalid configuration: FAKE_PSP_WEBHOOK_SECRET is required when NODE_ENV=production/,
    );
    expect(message).not.toMatch(/[\r\n]/);
    const secret = 'a-production-secret-of-some-length';
    expect(
      loadConfig({ NODE_ENV: 'production', FAKE_PSP_WEBHOOK_SECRET: secret }).FAKE_PSP_WEBHOOK_SECRET,
    ).toBe(secret);
  });

  it('refuses a short one without echoing it', () => {
    const message = failure({ FAKE_PSP_WEBHOOK_SECRET: 'short-secret' });
    expect(message).toMatch(
      /^Invalid configuration: FAKE_PSP_WEBHOOK_SECRET must be at least 16 characters$/,
    );
    expect(message).not.toContain('short-secret');
  });
});

describe('JWT_KEY_ENCRYPTION_KEY', () => {
  const production = {
    NODE_ENV: 'production',
    FAKE_PSP_WEBHOOK_SECRET: 'a-production-secret-of-some-length',
    DATABASE_URL: 'postgres://shopcore@db.internal:5432/shopcore',
  };

  it('or JWT_PRIVATE_KEY is required in production with a database: the generated key is never stored in plaintext', () => {
    expect(failure(production)).toMatch(
      /^Invalid configuration: JWT_KEY_ENCRYPTION_KEY or JWT_PRIVATE_KEY is required when NODE_ENV=production with a DATABASE_URL/,
    );
    const encryptionKey = 'x'.repeat(32);
    expect(loadConfig({ ...production, JWT_KEY_ENCRYPTION_KEY: encryptionKey }).JWT_KEY_ENCRYPTION_KEY).toBe(
      encryptionKey,
    );
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(loadConfig({ ...production, JWT_PRIVATE_KEY: pem }).JWT_PRIVATE_KEY).toBe(pem);
    // embedded (no DATABASE_URL) and development need neither
    expect(() => loadConfig({ ...production, DATABASE_URL: undefined })).not.toThrow();
    expect(() => loadConfig({ ...production, NODE_ENV: 'development' })).not.toThrow();
  });

  it('refuses a short one without echoing it', () => {
    const message = failure({ JWT_KEY_ENCRYPTION_KEY: 'too-short-key' });
    expect(message).toMatch(/^Invalid configuration: JWT_KEY_ENCRYPTION_KEY must be at least 32 characters$/);
    expect(message).not.toContain('too-short-key');
  });
});

describe('developmentSecretsInUse (warned at start, one line each)', () => {
  const variables = (env: Record<string, string | undefined>) =>
    developmentSecretsInUse(loadConfig(env)).map((s) => s.variable);
  const configured = {
    DATABASE_URL: 'postgres://shopcore@db.internal:5432/shopcore',
    FAKE_PSP_WEBHOOK_SECRET: 'a-real-webhook-secret-of-some-length',
    JWT_KEY_ENCRYPTION_KEY: 'k'.repeat(32),
  };

  it('names every public development default an empty environment runs with', () => {
    expect(variables({})).toEqual(['FAKE_PSP_WEBHOOK_SECRET', 'JWT_KEY_ENCRYPTION_KEY', 'DATABASE_URL']);
    expect(variables({ NODE_ENV: 'test' })).toEqual(variables({}));
  });

  it('names each one until its variable is set, and none when all are', () => {
    expect(variables(configured)).toEqual([]);
    expect(variables({ ...configured, FAKE_PSP_WEBHOOK_SECRET: undefined })).toEqual([
      'FAKE_PSP_WEBHOOK_SECRET',
    ]);
    // set to the public key by hand is no better than unset
    expect(variables({ ...configured, FAKE_PSP_WEBHOOK_SECRET: DEV_FAKE_PSP_WEBHOOK_SECRET })).toEqual([
      'FAKE_PSP_WEBHOOK_SECRET',
    ]);
    expect(variables({ ...configured, JWT_KEY_ENCRYPTION_KEY: undefined })).toEqual([
      'JWT_KEY_ENCRYPTION_KEY',
    ]);
    expect(variables({ ...configured, JWT_KEY_ENCRYPTION_KEY: undefined, JWT_PRIVATE_KEY: JWT_PEM })).toEqual(
      [],
    );
    expect(variables({ ...configured, DATABASE_URL: undefined })).toEqual(['DATABASE_URL']);
    // production embedded: the signing key in plaintext and the fixed database password still warn
    expect(
      variables({ NODE_ENV: 'production', FAKE_PSP_WEBHOOK_SECRET: configured.FAKE_PSP_WEBHOOK_SECRET }),
    ).toEqual(['JWT_KEY_ENCRYPTION_KEY', 'DATABASE_URL']);
  });

  it('never carries a value', () => {
    const all = JSON.stringify(developmentSecretsInUse(loadConfig({})));
    expect(all).not.toContain(DEV_FAKE_PSP_WEBHOOK_SECRET);
    expect(all).not.toMatch(/shopcore:shopcore|password=|postgres:\/\//);
  });
});

describe('SMTP_URL and MAIL_FROM (customer email)', () => {
  it('are optional: without SMTP_URL nothing is sent (mails are kept), with a default sender', () => {
    const c = loadConfig({});
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.MAIL_FROM).toBe('shopcore <no-reply@shopcore.example>');
  });

  it('reads smtp:// and smtps:// URLs with credentials, and a sender with or without a name', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://mailer:pa%40ss@smtp.example.com:587' }).SMTP_URL).toBe(
      'smtp://mailer:pa%40ss@smtp.example.com:587',
    );
    expect(loadConfig({ SMTP_URL: 'smtps://smtp.example.com' }).SMTP_URL).toBe('smtps://smtp.example.com');
    expect(loadConfig({ MAIL_FROM: 'Shop <shop@example.com>' }).MAIL_FROM).toBe('Shop <shop@example.com>');
    expect(loadConfig({ MAIL_FROM: 'shop@example.com' }).MAIL_FROM).toBe('shop@example.com');
  });

  it.each([
    'http://mailer:Sup3r-Secret-SMTP@smtp.example.com',
    'smtp//mailer:Sup3r-Secret-SMTP@smtp.example.com',
    'mailer:Sup3r-Secret-SMTP@smtp.example.com:25',
  ])('rejects %s in one line that never shows the password (nor the URL)', (value) => {
    const message = failure({ SMTP_URL: value });
    expect(message).toBe('Invalid configuration: SMTP_URL must be a URL starting with smtp:// or smtps://');
    expect(message).not.toContain('Sup3r-Secret-SMTP');
  });

  it('rejects a MAIL_FROM that is not an address', () => {
    expect(failure({ MAIL_FROM: 'the shop' })).toMatch(
      /^Invalid configuration: MAIL_FROM must be an email address/,
    );
  });
});

describe('RETURNS_ADDRESS (the return-approved email)', () => {
  it('has a placeholder default and takes the region’s address, trimmed', () => {
    expect(loadConfig({}).RETURNS_ADDRESS).toBe('shopcore Returns, 1 Warehouse Road, 10115 Berlin, Germany');
    expect(
      loadConfig({ RETURNS_ADDRESS: '  Shop Returns, 1 Dock Road, 2000 Sydney  ' }).RETURNS_ADDRESS,
    ).toBe('Shop Returns, 1 Dock Road, 2000 Sydney');
  });

  it('rejects an address of several lines, or a very long one', () => {
    expect(failure({ RETURNS_ADDRESS: 'Shop Returns\n1 Dock Road' })).toMatch(
      /^Invalid configuration: RETURNS_ADDRESS must be one line/,
    );
    expect(failure({ RETURNS_ADDRESS: 'x'.repeat(301) })).toMatch(
      /^Invalid configuration: RETURNS_ADDRESS must be at most 300 characters/,
    );
  });
});

describe('PAYMENT_PROVIDER', () => {
  it('is fake by default; stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, named without their values', () => {
    expect(loadConfig({}).PAYMENT_PROVIDER).toBe('fake');
    expect(failure({ PAYMENT_PROVIDER: 'stripe', STRIPE_WEBHOOK_SECRET: 'whsec_abcdef0123456789' })).toBe(
      'Invalid configuration: STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe (Stripe’s secret API key)',
    );
    const noWebhookSecret = failure({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_abcdef0123456789',
    });
    expect(noWebhookSecret).toMatch(
      /^Invalid configuration: STRIPE_WEBHOOK_SECRET is required when PAYMENT_PROVIDER=stripe/,
    );
    expect(noWebhookSecret).not.toContain('sk_test_abcdef0123456789');
    expect(failure({ PAYMENT_PROVIDER: 'paypal' })).toBe(
      'Invalid configuration: PAYMENT_PROVIDER must be fake or stripe (got "paypal")',
    );
    expect(
      failure({
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_abcdef0123456789',
        STRIPE_WEBHOOK_SECRET: 'whsec_abcdef0123456789',
        STRIPE_API_URL: 'ftp://emulator',
      }),
    ).toMatch(/^Invalid configuration: STRIPE_API_URL must be a URL starting with http:\/\/ or https:\/\//);
    expect(
      loadConfig({
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_abcdef0123456789',
        STRIPE_WEBHOOK_SECRET: 'whsec_abcdef0123456789',
        STRIPE_API_URL: 'http://127.0.0.1:12111',
      }),
    ).toMatchObject({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_URL: 'http://127.0.0.1:12111' });
  });
});
