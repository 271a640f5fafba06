/**
 * `npm run migrate` (compiled: `node dist/src/migrate.cli.js`): applies the pending migrations to
 * DATABASE_URL and exits — 0 when the schema is current, 1 with one line on stderr when it cannot be
 * made so. The Kubernetes init container and the compose `migrate-*` services run it before the app;
 * the app's own check at start then finds nothing pending. Several at once are safe (the migrations
 * run under an advisory lock), and it needs nothing but DATABASE_URL.
 */
import { ENTITIES, MIGRATIONS } from './contexts.js';
import { createDataSource, runMigrations } from './platform/db/data-source.js';
import { createLogger } from './platform/logging/logger.js';

const main = async (): Promise<number> => {
  const url = process.env.DATABASE_URL;
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', { command: 'migrate' });
  if (!url) {
    process.stderr.write('DATABASE_URL is required: the database whose schema to migrate\n');
    return 1;
  }
  const dataSource = createDataSource({
    url,
    poolSize: 1,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    applicationName: 'shopcore-migrate',
  });
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    logger.info(
      { applied, count: applied.length },
      applied.length > 0 ? 'migrations applied' : 'schema is current',
    );
    return 0;
  } catch (err) {
    // the message only: a driver error's parameters could hold data (never log them)
    process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
};

main().then((code) => process.exit(code));
