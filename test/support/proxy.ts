import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { startTestApp, type TestApp } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export /** A TCP pass-through to Postgres that the test can cut, to make the database unreachable for real. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    this.port = address.port;
    this.server = server;
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Opens a cuttable proxy in front of the service of `serviceUrl`; `url` reaches the same service through it. */
export const proxiedService = async (
  serviceUrl: string,
  defaultPort: number,
): Promise<{ proxy: CuttableProxy; url: string }> => {
  const target = new URL(serviceUrl);
  const proxy = new CuttableProxy(target.hostname, Number(target.port || defaultPort));
  await proxy.open();
  const proxied = new URL(serviceUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
};

/** A cuttable proxy in front of the Postgres of `databaseUrl`. */
export const proxiedDatabase = (databaseUrl: string) => proxiedService(databaseUrl, 5432);

/**
 * A test app on a fresh database that it reaches through a cuttable proxy. `close` opens the proxy
 * again first, so that the app can close its pool cleanly, then drops the database.
 */
export const startAppBehindProxiedDatabase = async (
  env: Record<string, string> = {},
  opts: Omit<Parameters<typeof startTestApp>[1], 'db'> = {},
): Promise<{ t: TestApp; proxy: CuttableProxy; db: TestDatabase; close(): Promise<void> }> => {
  const db = await createTestDatabase();
  const { proxy, url } = await proxiedDatabase(db.url);
  const t = await startTestApp({ ...env, DATABASE_URL: url }, { ...opts, db });
  return {
    t,
    proxy,
    db,
    close: async () => {
      if (!proxy.isOpen) await proxy.open(proxy.port);
      await t.close();
      await db.drop();
    },
  };
};
