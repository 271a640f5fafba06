/**
 * `npm run seed`: loads the demo shop (categories, products, this region's prices) into the database
 * the configuration points at — DATABASE_URL, or the embedded one under DATA_DIR — idempotently, then
 * waits until the outbox has relayed the events it wrote (price projection, downstream consumers).
 */
import { ConfigError, loadConfig } from '../platform/config/config.js';
import { createLogger } from '../platform/logging/logger.js';
import { startRuntime } from '../runtime.js';

const main = async (): Promise<void> => {
  const config = loadConfig({ ...process.env, SEED_DEMO_DATA: 'true' });
  const logger = createLogger(config.LOG_LEVEL, { region: config.REGION, command: 'seed' });
  const runtime = await startRuntime(config, { logger });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [row] = await runtime.platform.dataSource.query(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      );
      if (row.n === 0) break;
      if (Date.now() > deadline) {
        logger.warn(
          { pending: row.n },
          'events still waiting in the outbox; they will be relayed by the app',
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await runtime.close();
  }
};

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : `seed failed: ${(err as Error).stack}`}\n`,
  );
  process.exit(1);
});
