import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  entities: MixedList<EntitySchema>;
  applicationName?: string;
}

/** The one TypeORM data source all contexts share. Schema changes only through migrations/. */
export const createDataSource = (opts: DataSourceOptions): DataSource =>
  new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize,
      application_name: opts.applicationName ?? 'shopcore',
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    },
  });

/** Applies pending migrations; safe to call from several instances at once (advisory lock). */
export const runMigrations = async (ds: DataSource): Promise<string[]> => {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7275232)');
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7275232)').catch(() => {});
    await runner.release();
  }
};
