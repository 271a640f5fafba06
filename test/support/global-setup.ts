import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS } from '../../src/contexts.js';
import { createDataSource, runMigrations } from '../../src/platform/db/data-source.js';
import { resolveKafka, resolvePostgres, resolveRedis, type ServiceHandle } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresTemplate: string | null;
    postgresReason: string;
    redisUrl: string | null;
    redisReason: string;
    kafkaBrokers: string | null;
    kafkaReason: string;
  }
}

const withDatabase = (url: string, db: string): string => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

interface Prepared {
  values: {
    postgresUrl: string | null;
    postgresTemplate: string | null;
    postgresReason: string;
    redisUrl: string | null;
    redisReason: string;
    kafkaBrokers: string | null;
    kafkaReason: string;
  };
  teardown: () => Promise<void>;
}

/**
 * Shared by every project of one run (integration and e2e): services are resolved once. Vitest loads
 * this file once per project, so the state lives on globalThis rather than in module scope.
 */
const shared = globalThis as typeof globalThis & {
  __shopcoreServices?: { prepared: Promise<Prepared>; users: number };
};

const prepare = async (): Promise<Prepared> => {
  const [pg, redis, kafka] = await Promise.all([resolvePostgres(), resolveRedis(), resolveKafka()]);
  const handles: ServiceHandle[] = [pg, redis, kafka];
  for (const [name, h] of [
    ['postgres', pg],
    ['redis', redis],
    ['kafka', kafka],
  ] as const) {
    console.log(h.url ? `[services] ${name}: ${h.source}` : `[services] ${name}: UNAVAILABLE — ${h.reason}`);
  }
  let templateName: string | null = null;
  if (pg.url) {
    templateName = `shopcore_tpl_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${templateName}`);
    await admin.end();
    const ds = createDataSource({
      url: withDatabase(pg.url, templateName),
      poolSize: 2,
      entities: [],
      migrations: MIGRATIONS,
    });
    await ds.initialize();
    await runMigrations(ds);
    await ds.destroy();
  }
  const teardown = async () => {
    try {
      if (pg.url && templateName) {
        const admin = new Client({ connectionString: pg.url });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`).catch(() => {});
        await admin.end();
      }
    } finally {
      await Promise.all(handles.map((h) => h.stop().catch(() => {})));
    }
  };
  return {
    values: {
      postgresUrl: pg.url,
      postgresTemplate: templateName,
      postgresReason: pg.reason ?? '',
      redisUrl: redis.url,
      redisReason: redis.reason ?? '',
      kafkaBrokers: kafka.url,
      kafkaReason: kafka.reason ?? '',
    },
    teardown,
  };
};

/** Runs once per `vitest run` and project: finds the services and prepares a migrated template database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  shared.__shopcoreServices ??= { prepared: prepare(), users: 0 };
  const state = shared.__shopcoreServices;
  state.users++;
  const { values, teardown } = await state.prepared;
  for (const [key, value] of Object.entries(values)) {
    project.provide(key as keyof typeof values, value as never);
  }
  return async () => {
    state.users--;
    if (state.users === 0) {
      shared.__shopcoreServices = undefined;
      await teardown();
    }
  };
}
